#include "ingest/extract/prototype_renderer.h"

#include <bpf/btf.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "ingest/extract/btf_handle.h"

namespace kfuncdb::extract {
namespace {

// Deeper than any real declarator; bounds recursion on cyclic BTF.
constexpr int kMaxDepth = 64;

class Renderer {
 public:
  Renderer(const btf& handle, bool with_names) : btf_(handle), with_names_(with_names) {}

  // Renders type `id` around the declarator text `declarator` (a name, or
  // "*name", "(*name)(int)"...), inside-out as C declarations read.
  absl::StatusOr<std::string> Declare(uint32_t id, std::string declarator, int depth) {
    if (depth > kMaxDepth) return Malformed(id, "type chain too deep or cyclic");
    if (id == 0) return Join("void", declarator);
    const btf_type* type = btf__type_by_id(&btf_, id);
    if (type == nullptr) return Malformed(id, "type id out of range");
    switch (btf_kind(type)) {
      case BTF_KIND_INT:
      case BTF_KIND_FLOAT:
      case BTF_KIND_TYPEDEF:
        return Join(Name(type), declarator);
      case BTF_KIND_STRUCT:
        return Join(Tagged("struct", type), declarator);
      case BTF_KIND_UNION:
        return Join(Tagged("union", type), declarator);
      case BTF_KIND_ENUM:
      case BTF_KIND_ENUM64:
        return Join(Tagged("enum", type), declarator);
      case BTF_KIND_FWD:
        return Join(Tagged(btf_kflag(type) ? "union" : "struct", type), declarator);
      case BTF_KIND_TYPE_TAG:
        return Declare(type->type, std::move(declarator), depth + 1);
      case BTF_KIND_CONST:
      case BTF_KIND_VOLATILE:
      case BTF_KIND_RESTRICT:
        return Qualified(type, std::move(declarator), depth);
      case BTF_KIND_PTR: {
        std::string inner = absl::StrCat("*", declarator);
        if (IsArrayOrFunction(type->type)) inner = absl::StrCat("(", inner, ")");
        return Declare(type->type, std::move(inner), depth + 1);
      }
      case BTF_KIND_ARRAY: {
        const struct btf_array* array = btf_array(type);
        return Declare(array->type, absl::StrCat(declarator, "[", array->nelems, "]"), depth + 1);
      }
      case BTF_KIND_FUNC_PROTO: {
        KFUNCDB_ASSIGN_OR_RETURN(std::string params, Parameters(type, depth));
        return Declare(type->type, absl::StrCat(declarator, "(", params, ")"), depth + 1);
      }
      default:
        return Malformed(id, absl::StrCat("kind ", btf_kind(type), " cannot appear in a prototype"));
    }
  }

  absl::StatusOr<std::string> Parameters(const btf_type* proto, int depth) {
    uint16_t count = btf_vlen(proto);
    if (count == 0) return std::string("void");
    const btf_param* params = btf_params(proto);
    std::string text;
    for (uint16_t i = 0; i < count; ++i) {
      if (i > 0) text += ", ";
      // A last parameter with type 0 is the variadic "...".
      if (i + 1 == count && params[i].type == 0) {
        text += "...";
        break;
      }
      std::string name;
      if (with_names_) {
        const char* param_name = btf__name_by_offset(&btf_, params[i].name_off);
        if (param_name != nullptr) name = param_name;
      }
      KFUNCDB_ASSIGN_OR_RETURN(std::string param, Declare(params[i].type, name, depth + 1));
      text += param;
    }
    return text;
  }

 private:
  static std::string Join(std::string_view base, const std::string& declarator) {
    if (declarator.empty()) return std::string(base);
    return absl::StrCat(std::string(base), " ", declarator);
  }

  std::string Name(const btf_type* type) const {
    const char* name = btf__name_by_offset(&btf_, type->name_off);
    return name != nullptr ? name : "";
  }

  std::string Tagged(std::string_view keyword, const btf_type* type) const {
    std::string name = Name(type);
    return absl::StrCat(std::string(keyword), " ", name.empty() ? "{...}" : name);
  }

  static std::string_view Qualifier(const btf_type* type) {
    switch (btf_kind(type)) {
      case BTF_KIND_CONST: return "const";
      case BTF_KIND_VOLATILE: return "volatile";
      default: return "restrict";
    }
  }

  // A qualified pointer reads "T *const p": the qualifier goes after the
  // star. Any other qualified type reads "const T p": it goes in front.
  absl::StatusOr<std::string> Qualified(const btf_type* type, std::string declarator, int depth) {
    std::string qualifier(Qualifier(type));
    const btf_type* target = btf__type_by_id(&btf_, type->type);
    if (type->type != 0 && target != nullptr && btf_is_ptr(target)) {
      std::string inner = declarator.empty() ? qualifier : absl::StrCat(qualifier, " ", declarator);
      return Declare(type->type, std::move(inner), depth + 1);
    }
    KFUNCDB_ASSIGN_OR_RETURN(std::string rest, Declare(type->type, std::move(declarator), depth + 1));
    return absl::StrCat(qualifier, " ", rest);
  }

  bool IsArrayOrFunction(uint32_t id) const {
    if (id == 0) return false;
    const btf_type* type = btf__type_by_id(&btf_, id);
    // Type tags and qualifiers in between do not change the declarator shape.
    for (int hops = 0; type != nullptr && hops < kMaxDepth; ++hops) {
      if (btf_is_array(type) || btf_is_func_proto(type)) return true;
      if (!btf_is_mod(type) && !btf_is_type_tag(type)) return false;
      if (type->type == 0) return false;
      type = btf__type_by_id(&btf_, type->type);
    }
    return false;
  }

  absl::Status Malformed(uint32_t id, std::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat("BTF type ", id, ": ", std::string(what)));
  }

  const btf& btf_;
  bool with_names_;
};

}  // namespace

absl::StatusOr<RenderedPrototype> RenderPrototype(const btf& handle, BtfTypeId func_id) {
  const btf_type* func = FuncById(handle, func_id);
  if (func == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("BTF type ", func_id.value(), " is not a FUNC"));
  }
  const btf_type* proto = btf__type_by_id(&handle, func->type);
  if (proto == nullptr || !btf_is_func_proto(proto)) {
    return absl::InvalidArgumentError(
        absl::StrCat("BTF FUNC ", func_id.value(), " does not point to a FUNC_PROTO"));
  }
  const char* name = btf__name_by_offset(&handle, func->name_off);
  RenderedPrototype rendered;
  KFUNCDB_ASSIGN_OR_RETURN(rendered.prototype,
                           Renderer(handle, true).Declare(func->type, name != nullptr ? name : "", 0));
  KFUNCDB_ASSIGN_OR_RETURN(rendered.types_only, Renderer(handle, false).Declare(func->type, "", 0));
  KFUNCDB_ASSIGN_OR_RETURN(rendered.signature_hash, Sha256Hex(rendered.types_only));
  return rendered;
}

}  // namespace kfuncdb::extract
