// Deterministic generator of large, realistic-looking pprof profiles for the
// benchmarks. Same arguments, same bytes (its own RNG, no std distributions).
//
//   pprofx_bench_gen OUT.pb.gz [--samples N] [--locations N] [--functions N]
//                    [--min-depth N] [--max-depth N] [--mappings N] [--seed N] [--sample-seed N]
//                    [--hot-stacks N] [--raw]
//
// Stacks are random walks over a fixed call graph (each location has a few
// callees), so they share prefixes as real stacks do; about one location in
// eight has an inlined frame; most samples carry string and numeric labels.
// With --hot-stacks N, nine samples in ten repeat one of the first N stacks
// (skewed: a few are very hot) and label values come from small sets. That
// compresses only 1.5x instead of 1.3x (repeats rarely fall within deflate's
// 32 kB window), but shows that gzip -dc's time follows the raw size.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "pprofx/io/gzip.h"
#include "proto/profile.pb.h"

namespace {

struct Rng {  // splitmix64: tiny, fast, fully specified
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  uint64_t below(uint64_t n) { return next() % n; }
};

struct Args {
  std::string out;
  uint64_t samples = 100000, locations = 40000, functions = 20000, max_depth = 64, min_depth = 2, mappings = 4, seed = 1, sample_seed = 0;
  uint64_t hot_stacks = 0;
  bool raw = false;
};

bool parse(int argc, char** argv, Args* a) {
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    auto num = [&](uint64_t* v) {
      if (i + 1 >= argc) return false;
      *v = std::strtoull(argv[++i], nullptr, 10);
      return true;
    };
    bool ok = true;
    if (k == "--samples") ok = num(&a->samples);
    else if (k == "--locations") ok = num(&a->locations);
    else if (k == "--functions") ok = num(&a->functions);
    else if (k == "--max-depth") ok = num(&a->max_depth);
    else if (k == "--min-depth") ok = num(&a->min_depth);
    else if (k == "--mappings") ok = num(&a->mappings);
    else if (k == "--seed") ok = num(&a->seed);
    else if (k == "--sample-seed") ok = num(&a->sample_seed);
    else if (k == "--hot-stacks") ok = num(&a->hot_stacks);
    else if (k == "--raw") a->raw = true;
    else if (a->out.empty() && k[0] != '-') a->out = k;
    else ok = false;
    if (!ok) return false;
  }
  return !a->out.empty() && a->functions > 0 && a->locations >= a->functions && a->min_depth >= 2 &&
         a->max_depth >= a->min_depth;
}

class Strings {
 public:
  explicit Strings(perftools::profiles::Profile* p) : p_(p) { id(""); }
  int64_t id(const std::string& s) {
    auto [it, inserted] = index_.try_emplace(s, static_cast<int64_t>(index_.size()));
    if (inserted) p_->add_string_table(s);
    return it->second;
  }

 private:
  perftools::profiles::Profile* p_;
  std::unordered_map<std::string, int64_t> index_;
};

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!parse(argc, argv, &a)) {
    std::fprintf(stderr, "usage: pprofx_bench_gen OUT.pb.gz [--samples N] [--locations N] [--functions N] "
                         "[--min-depth N] [--max-depth N] [--mappings N] [--seed N] [--sample-seed N] "
                         "[--hot-stacks N] [--raw]\n");
    return 2;
  }
  Rng rng{a.seed};
  perftools::profiles::Profile p;
  Strings s(&p);
  auto* st = p.add_sample_type();
  st->set_type(s.id("samples"));
  st->set_unit(s.id("count"));
  st = p.add_sample_type();
  st->set_type(s.id("cpu"));
  st->set_unit(s.id("nanoseconds"));
  p.mutable_period_type()->set_type(s.id("cpu"));
  p.mutable_period_type()->set_unit(s.id("nanoseconds"));
  p.set_period(10000000);
  p.set_time_nanos(1700000000000000000);
  p.set_duration_nanos(60000000000);

  const uint64_t text_size = 0x10000000;
  for (uint64_t m = 0; m < a.mappings; ++m) {
    auto* mp = p.add_mapping();
    mp->set_id(m + 1);
    mp->set_memory_start(0x400000 + m * text_size);
    mp->set_memory_limit(0x400000 + (m + 1) * text_size);
    mp->set_filename(s.id(m == 0 ? "/usr/local/bin/server" : "/usr/lib/libservice" + std::to_string(m) + ".so"));
    mp->set_build_id(s.id("b" + std::to_string(1000003 * (m + 1))));
    mp->set_has_functions(true);
    mp->set_has_filenames(true);
    mp->set_has_line_numbers(true);
    mp->set_has_inline_frames(true);
  }
  const uint64_t packages = a.functions / 40 + 1;
  for (uint64_t f = 0; f < a.functions; ++f) {
    auto* fn = p.add_function();
    fn->set_id(f + 1);
    const uint64_t pkg = f % packages;
    const std::string name = "github.com/example/service/pkg" + std::to_string(pkg) + ".(*Type" +
                             std::to_string(f % 7) + ").Method" + std::to_string(f);
    fn->set_name(s.id(name));
    fn->set_system_name(fn->name());
    fn->set_filename(s.id("/src/service/pkg" + std::to_string(pkg) + "/file" + std::to_string(f % 5) + ".go"));
    fn->set_start_line(static_cast<int64_t>(10 + f % 500));
  }
  for (uint64_t l = 0; l < a.locations; ++l) {
    auto* loc = p.add_location();
    loc->set_id(l + 1);
    const uint64_t m = l % a.mappings;
    loc->set_mapping_id(m + 1);
    loc->set_address(0x400000 + m * text_size + 0x1000 + l * 16);
    const uint64_t f = l % a.functions;
    if (rng.below(8) == 0) {  // an inlined callee first, then its caller
      auto* inl = loc->add_line();
      inl->set_function_id(rng.below(a.functions) + 1);
      inl->set_line(static_cast<int64_t>(rng.below(300) + 1));
    }
    auto* line = loc->add_line();
    line->set_function_id(f + 1);
    line->set_line(static_cast<int64_t>(20 + rng.below(400)));
  }

  const char* handlers[] = {"/api/v1/users", "/api/v1/orders", "/api/v1/search", "/healthz", "/metrics",
                            "/api/v2/items", "/api/v2/cart", "/login"};
  // The program (functions, locations, call graph) comes from --seed; with
  // --sample-seed the samples get their own stream: the same program profiled
  // on another machine, as in a fleet.
  if (a.sample_seed != 0) rng = Rng{a.sample_seed * 0x2545f4914f6cdd1dull};
  const uint64_t roots = std::max<uint64_t>(1, a.locations / 1000);
  std::vector<uint64_t> stack;
  std::vector<std::vector<uint64_t>> hot;  // --hot-stacks: the first N stacks, repeated
  for (uint64_t i = 0; i < a.samples; ++i) {
    if (!hot.empty() && rng.below(10) != 0) {
      // Skewed: index = N * u^3 for u uniform in [0, 1).
      const double u = static_cast<double>(rng.below(1u << 30)) / static_cast<double>(1u << 30);
      stack = hot[static_cast<size_t>(static_cast<double>(hot.size()) * u * u * u)];
    } else {
      const uint64_t depth = a.min_depth + rng.below(a.max_depth - a.min_depth + 1);
      stack.clear();
      uint64_t loc = rng.below(roots);
      stack.push_back(loc);
      for (uint64_t d = 1; d < depth; ++d) {
        // Four callees per location, chosen by a fixed hash: a call graph, not noise.
        const uint64_t k = rng.below(4);
        Rng h{loc * 4 + k + a.seed * 7919};
        loc = h.below(a.locations);
        stack.push_back(loc);
      }
      if (hot.size() < a.hot_stacks) hot.push_back(stack);
    }
    auto* sample = p.add_sample();
    for (auto it = stack.rbegin(); it != stack.rend(); ++it) sample->add_location_id(*it + 1);  // leaf first
    const int64_t count = static_cast<int64_t>(1 + rng.below(5));
    sample->add_value(count);
    sample->add_value(count * 10000000);
    if (rng.below(10) != 0) {
      auto* label = sample->add_label();
      label->set_key(s.id("handler"));
      label->set_str(s.id(handlers[rng.below(8)]));
      auto* num = sample->add_label();
      num->set_key(s.id("request_bytes"));
      num->set_num(a.hot_stacks > 0 ? int64_t{256} << rng.below(12) : static_cast<int64_t>(rng.below(1 << 20)));
      num->set_num_unit(s.id("bytes"));
    }
  }
  const std::string bytes = p.SerializeAsString();
  std::ofstream out(a.out, std::ios::binary);
  out << (a.raw ? bytes : pprofx::io::gzip(bytes));
  if (!out) {
    std::fprintf(stderr, "pprofx_bench_gen: cannot write %s\n", a.out.c_str());
    return 1;
  }
  std::fprintf(stderr, "%s: %zu bytes raw, %llu samples, %llu locations, %llu functions\n", a.out.c_str(),
               bytes.size(), static_cast<unsigned long long>(a.samples),
               static_cast<unsigned long long>(a.locations), static_cast<unsigned long long>(a.functions));
  return 0;
}
