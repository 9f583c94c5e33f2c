// The heap bound (base/memory.h): replacements of the global operator new and
// delete that count usable block sizes, and the bound they check.
#include "pprofx/base/memory.h"

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>

namespace pprofx::memory {
namespace {

constexpr uint64_t kNotFixed = UINT64_MAX;

constinit std::atomic<uint64_t> g_live{0};
constinit std::atomic<uint64_t> g_peak{0};
constinit std::atomic<uint64_t> g_input{0};
constinit std::atomic<uint64_t> g_fixed{kNotFixed};
constinit std::atomic<ExceededHandler> g_handler{nullptr};
constinit std::atomic<bool> g_dying{false};

constinit std::atomic_flag g_subject_lock = ATOMIC_FLAG_INIT;
char g_subject[201];
size_t g_subject_len = 0;

uint64_t current_limit() {
  const uint64_t fixed = g_fixed.load(std::memory_order_relaxed);
  if (fixed != kNotFixed) return fixed;  // 0: no bound
  const uint64_t input = g_input.load(std::memory_order_relaxed);
  return input > (UINT64_MAX - kBaseAllowance) / kInputFactor ? UINT64_MAX : kBaseAllowance + kInputFactor * input;
}

[[noreturn]] void exceeded(uint64_t live, uint64_t wanted, uint64_t limit, ExceededHandler handler) {
  char subject[sizeof g_subject];
  size_t len = 0;
  if (!g_subject_lock.test_and_set(std::memory_order_acquire)) {
    len = g_subject_len;
    std::memcpy(subject, g_subject, len);
    g_subject_lock.clear(std::memory_order_release);
  }
  handler(std::string_view(subject, len), live, wanted, limit, g_input.load(std::memory_order_relaxed));
  std::abort();  // a handler must not return
}

void* counted(void* p, size_t wanted) {
  if (p == nullptr) return nullptr;
  const uint64_t size = malloc_usable_size(p);
  const uint64_t now = g_live.fetch_add(size, std::memory_order_relaxed) + size;
  uint64_t peak = g_peak.load(std::memory_order_relaxed);
  while (now > peak && !g_peak.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
  const ExceededHandler handler = g_handler.load(std::memory_order_relaxed);
  if (handler != nullptr && !g_dying.load(std::memory_order_relaxed)) {
    const uint64_t limit = current_limit();
    if (limit != 0 && now > limit && !g_dying.exchange(true)) exceeded(now - size, wanted, limit, handler);
  }
  return p;
}

void uncount(void* p) {
  if (p == nullptr) return;
  g_live.fetch_sub(malloc_usable_size(p), std::memory_order_relaxed);
  std::free(p);
}

void* allocate(size_t n) { return counted(std::malloc(std::max<size_t>(n, 1)), n); }

void* allocate_aligned(size_t n, std::align_val_t al) {
  const auto a = static_cast<size_t>(al);
  if (n > SIZE_MAX - a) return nullptr;
  const size_t rounded = std::max<size_t>((n + a - 1) / a * a, a);
  return counted(std::aligned_alloc(a, rounded), n);
}

// operator new's loop: the new-handler, else bad_alloc.
template <typename F>
void* allocate_or_throw(F try_once) {
  for (;;) {
    if (void* p = try_once()) return p;
    std::new_handler h = std::get_new_handler();
    if (h == nullptr) throw std::bad_alloc();
    h();
  }
}

}  // namespace

uint64_t live_bytes() { return g_live.load(std::memory_order_relaxed); }
uint64_t peak_bytes() { return g_peak.load(std::memory_order_relaxed); }
uint64_t input_bytes() { return g_input.load(std::memory_order_relaxed); }
uint64_t limit_bytes() { return g_handler.load(std::memory_order_relaxed) == nullptr ? 0 : current_limit(); }

void allow_input(uint64_t bytes) { g_input.fetch_add(bytes, std::memory_order_relaxed); }
void retract_input(uint64_t bytes) { g_input.fetch_sub(bytes, std::memory_order_relaxed); }
void set_fixed_limit(uint64_t bytes) { g_fixed.store(bytes, std::memory_order_relaxed); }
bool limit_is_fixed() { return g_fixed.load(std::memory_order_relaxed) != kNotFixed; }
void set_exceeded_handler(ExceededHandler handler) { g_handler.store(handler, std::memory_order_relaxed); }

void set_subject(std::string_view name) {
  while (g_subject_lock.test_and_set(std::memory_order_acquire)) {
  }
  g_subject_len = std::min(name.size(), sizeof g_subject - 1);
  std::memcpy(g_subject, name.data(), g_subject_len);
  g_subject_lock.clear(std::memory_order_release);
}

}  // namespace pprofx::memory

// The replaceable global allocation functions ([new.delete]); every form, so
// that each block is counted on the way in and out alike.
using pprofx::memory::allocate;
using pprofx::memory::allocate_aligned;
using pprofx::memory::allocate_or_throw;
using pprofx::memory::uncount;

void* operator new(size_t n) {
  return allocate_or_throw([n] { return allocate(n); });
}
void* operator new[](size_t n) {
  return allocate_or_throw([n] { return allocate(n); });
}
void* operator new(size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void* operator new[](size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void* operator new(size_t n, std::align_val_t al) {
  return allocate_or_throw([n, al] { return allocate_aligned(n, al); });
}
void* operator new[](size_t n, std::align_val_t al) {
  return allocate_or_throw([n, al] { return allocate_aligned(n, al); });
}
void* operator new(size_t n, std::align_val_t al, const std::nothrow_t&) noexcept { return allocate_aligned(n, al); }
void* operator new[](size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
  return allocate_aligned(n, al);
}

void operator delete(void* p) noexcept { uncount(p); }
void operator delete[](void* p) noexcept { uncount(p); }
void operator delete(void* p, size_t) noexcept { uncount(p); }
void operator delete[](void* p, size_t) noexcept { uncount(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { uncount(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { uncount(p); }
void operator delete(void* p, std::align_val_t) noexcept { uncount(p); }
void operator delete[](void* p, std::align_val_t) noexcept { uncount(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { uncount(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { uncount(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { uncount(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { uncount(p); }
