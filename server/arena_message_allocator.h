// ArenaMessageAllocator: gRPC callback-API message allocator that places a
// call's request and response in one protobuf Arena, whose first block lives
// inside the per-call holder. A kfuncdb answer is dozens of small messages
// and strings (every Release carries a name and a date); on an arena they
// cost a pointer bump each and are freed at once when the call ends,
// instead of one malloc/free pair per string.
//
// Thread safety: AllocateMessages() may be called concurrently (no state).
#pragma once

#include <google/protobuf/arena.h>
#include <grpcpp/support/message_allocator.h>

namespace kfuncdb::server {

template <typename Request, typename Response>
class ArenaMessageAllocator final : public grpc::MessageAllocator<Request, Response> {
 public:
  grpc::MessageHolder<Request, Response>* AllocateMessages() override { return new Holder(); }

 private:
  // Large enough for a typical answer, so most calls never grow the arena.
  static constexpr size_t kInitialBlockBytes = 16 << 10;

  class Holder final : public grpc::MessageHolder<Request, Response> {
   public:
    Holder() : arena_(Options(initial_block_)) {
      this->set_request(google::protobuf::Arena::CreateMessage<Request>(&arena_));
      this->set_response(google::protobuf::Arena::CreateMessage<Response>(&arena_));
    }
    void Release() override { delete this; }

   private:
    static google::protobuf::ArenaOptions Options(char* block) {
      google::protobuf::ArenaOptions options;
      options.initial_block = block;
      options.initial_block_size = kInitialBlockBytes;
      return options;
    }

    alignas(8) char initial_block_[kInitialBlockBytes];
    google::protobuf::Arena arena_;  // after initial_block_: destroyed first
  };
};

}  // namespace kfuncdb::server
