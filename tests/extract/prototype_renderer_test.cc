// C rendering of BTF prototypes for the declarator shapes kernel kfuncs use
// and the fixture type language cannot express: function pointers, arrays,
// qualified pointers, variadics, type tags, forward declarations, enums.
// The BTF is written here with libbpf's BTF writer.
#include "ingest/extract/prototype_renderer.h"

#include <bpf/btf.h>

#include <gtest/gtest.h>

#include "ingest/extract/btf_handle.h"

namespace kfuncdb::extract {
namespace {

class PrototypeRendererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    btf_.reset(btf__new_empty());
    ASSERT_NE(btf_, nullptr);
    int_ = btf__add_int(b(), "int", 4, BTF_INT_SIGNED);
    char_ = btf__add_int(b(), "char", 1, BTF_INT_SIGNED);
    u32_ = btf__add_typedef(b(), "u32", btf__add_int(b(), "unsigned int", 4, 0));
    task_ = btf__add_struct(b(), "task_struct", 0);
    task_ptr_ = btf__add_ptr(b(), task_);
  }

  btf* b() { return btf_.get(); }

  // FUNC `name` returning `ret` with (type, name) parameters, all types
  // already made (parameters must directly follow their FUNC_PROTO).
  BtfTypeId Func(const char* name, int ret, std::initializer_list<std::pair<int, const char*>> params) {
    int proto = btf__add_func_proto(b(), ret);
    for (const auto& [type, param] : params) btf__add_func_param(b(), param, type);
    return BtfTypeId(static_cast<uint32_t>(btf__add_func(b(), name, BTF_FUNC_GLOBAL, proto)));
  }

  std::string Render(BtfTypeId id) {
    absl::StatusOr<RenderedPrototype> rendered = RenderPrototype(*btf_, id);
    EXPECT_TRUE(rendered.ok()) << rendered.status();
    return rendered.ok() ? rendered->prototype : "";
  }

  BtfPtr btf_;
  int int_ = 0, char_ = 0, u32_ = 0, task_ = 0, task_ptr_ = 0;
};

TEST_F(PrototypeRendererTest, PointersStructsTypedefsAndVoid) {
  EXPECT_EQ(Render(Func("bpf_task_acquire", task_ptr_, {{task_ptr_, "p"}})),
            "struct task_struct *bpf_task_acquire(struct task_struct *p)");
  EXPECT_EQ(Render(Func("bpf_rcu_read_lock", 0, {})), "void bpf_rcu_read_lock(void)");
  int void_ptr = btf__add_ptr(b(), 0);
  EXPECT_EQ(Render(Func("bpf_obj_new_impl", void_ptr, {{u32_, "local_type_id__k"}, {void_ptr, "meta__ign"}})),
            "void *bpf_obj_new_impl(u32 local_type_id__k, void *meta__ign)");
  int ptr_ptr = btf__add_ptr(b(), task_ptr_);
  EXPECT_EQ(Render(Func("f_pp", int_, {{ptr_ptr, "pp"}})), "int f_pp(struct task_struct **pp)");
}

TEST_F(PrototypeRendererTest, QualifiersGoWhereCPutsThem) {
  int const_char = btf__add_const(b(), char_);
  int const_char_ptr = btf__add_ptr(b(), const_char);
  int const_ptr = btf__add_const(b(), btf__add_ptr(b(), char_));
  int volatile_int = btf__add_volatile(b(), int_);
  int restrict_ptr = btf__add_restrict(b(), btf__add_ptr(b(), int_));
  EXPECT_EQ(Render(Func("f_q", int_, {{const_char_ptr, "name"}, {const_ptr, "fixed"},
                                      {volatile_int, "v"}, {restrict_ptr, "r"}})),
            "int f_q(const char *name, char *const fixed, volatile int v, int *restrict r)");
  EXPECT_EQ(Render(Func("f_unnamed_const_ptr", const_ptr, {})), "char *const f_unnamed_const_ptr(void)");
}

TEST_F(PrototypeRendererTest, FunctionPointersArraysAndVariadics) {
  int void_ptr = btf__add_ptr(b(), 0);
  int callback = btf__add_func_proto(b(), int_);
  btf__add_func_param(b(), "", void_ptr);
  btf__add_func_param(b(), "", void_ptr);
  int callback_ptr = btf__add_ptr(b(), callback);
  int array = btf__add_array(b(), int_, int_, 16);
  int array_ptr = btf__add_ptr(b(), array);
  EXPECT_EQ(Render(Func("bpf_loop_like", int_, {{callback_ptr, "cb"}, {array_ptr, "buf"}})),
            "int bpf_loop_like(int (*cb)(void *, void *), int (*buf)[16])");

  // Parameters must directly follow their FUNC_PROTO: make types first.
  int fmt_type = btf__add_ptr(b(), btf__add_const(b(), char_));
  int variadic = btf__add_func_proto(b(), int_);
  btf__add_func_param(b(), "fmt", fmt_type);
  btf__add_func_param(b(), nullptr, 0);
  BtfTypeId printf_like(static_cast<uint32_t>(btf__add_func(b(), "f_printf", BTF_FUNC_GLOBAL, variadic)));
  EXPECT_EQ(Render(printf_like), "int f_printf(const char *fmt, ...)");
}

TEST_F(PrototypeRendererTest, TagsForwardsEnumsAndUnions) {
  int user_ptr = btf__add_ptr(b(), btf__add_type_tag(b(), "user", char_));
  int fwd_union = btf__add_fwd(b(), "bpf_attr", BTF_FWD_UNION);
  int fwd_union_ptr = btf__add_ptr(b(), fwd_union);
  int e = btf__add_enum(b(), "bpf_map_type", 4);
  EXPECT_EQ(Render(Func("f_misc", e, {{user_ptr, "ubuf"}, {fwd_union_ptr, "attr"}})),
            "enum bpf_map_type f_misc(char *ubuf, union bpf_attr *attr)");
}

TEST_F(PrototypeRendererTest, SignatureHashIgnoresNamesOnly) {
  absl::StatusOr<RenderedPrototype> a = RenderPrototype(*btf_, Func("a", int_, {{task_ptr_, "p"}}));
  absl::StatusOr<RenderedPrototype> b2 = RenderPrototype(*btf_, Func("b", int_, {{task_ptr_, "task"}}));
  absl::StatusOr<RenderedPrototype> c = RenderPrototype(*btf_, Func("c", u32_, {{task_ptr_, "p"}}));
  ASSERT_TRUE(a.ok() && b2.ok() && c.ok());
  EXPECT_EQ(a->types_only, "int (struct task_struct *)");
  EXPECT_EQ(a->signature_hash, b2->signature_hash);
  EXPECT_NE(a->signature_hash, c->signature_hash);
  EXPECT_EQ(a->signature_hash.size(), 64u);
}

TEST_F(PrototypeRendererTest, MalformedInputIsAnError) {
  EXPECT_FALSE(RenderPrototype(*btf_, BtfTypeId(int_)).ok()) << "not a FUNC";
  EXPECT_FALSE(RenderPrototype(*btf_, BtfTypeId(9999)).ok()) << "out of range";
}

}  // namespace
}  // namespace kfuncdb::extract
