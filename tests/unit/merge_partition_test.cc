// The merge is independent of how a fleet was split (issue 22, the property
// scripts/fleet-merge relies on): random partitions of a fleet of profiles
// (units that change from host to host, string and numeric labels, three
// mappings loaded at other addresses on every host, inlined frames), merged
// in random trees, partial results written to wire bytes and read back as a
// reduce task does, give the same top, fold and tree text and the same
// samples as one merge of them all.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>

#include "pprofx/decode/decode.h"
#include "pprofx/encode/encode.h"
#include "pprofx/fold/folded.h"
#include "pprofx/fold/prepare.h"
#include "pprofx/model/merge.h"
#include "pprofx/report/top.h"
#include "pprofx/report/tree.h"
#include "profile_builder.h"

using namespace pprofx;
using testing::ProfileBuilder;

namespace {

constexpr int kFunctions = 24;

// One host's profile: the same program everywhere, its own samples, unit
// and load addresses.
model::Profile host_profile(int host, std::mt19937_64& rng) {
  static const char* kUnits[] = {"nanoseconds", "microseconds", "milliseconds"};
  const char* unit = kUnits[host % 3];
  const int64_t per_ms = host % 3 == 0 ? 1'000'000 : host % 3 == 1 ? 1'000 : 1;
  ProfileBuilder b;
  b.sample_type("samples", "count").sample_type("cpu", unit);
  b.proto().mutable_period_type()->set_type(b.str("cpu"));
  b.proto().mutable_period_type()->set_unit(b.str(unit));
  b.proto().set_period(10 * per_ms);
  b.proto().set_duration_nanos(1'000'000'000 + host);
  b.proto().set_time_nanos(1'700'000'000'000'000'000 + int64_t{host % 5} * 1'000'000'000);
  const uint64_t shift = 0x10000 * static_cast<uint64_t>(host % 7);
  struct Map { const char* file; const char* build; uint64_t start; };
  const Map maps[] = {{"/usr/bin/svc", "b1d", 0x400000}, {"/lib/libc.so.6", "", 0x7f0000000000},
                      {"/lib/libm.so.6", "m42", 0x7f1000000000}};
  std::vector<uint64_t> mapping_ids;
  for (const Map& m : maps) {
    const uint64_t id = b.mapping(m.file, m.start + shift, m.start + shift + 0x100000);
    b.proto().mutable_mapping(static_cast<int>(id - 1))->set_build_id(b.str(m.build));
    mapping_ids.push_back(id);
  }
  std::vector<uint64_t> fns;
  for (int f = 0; f < kFunctions; ++f) {
    fns.push_back(b.function("fn" + std::to_string(f), "src/f" + std::to_string(f % 4) + ".cc", f));
  }
  // 40 locations over the three mappings (one in five with an inlined
  // frame), created in a host-dependent order so file ids differ per host.
  std::vector<int> order(40);
  for (int i = 0; i < 40; ++i) order[static_cast<size_t>(i)] = i;
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<uint64_t> loc(40);
  for (int i : order) {
    const size_t m = static_cast<size_t>(i % 3);
    std::vector<std::pair<uint64_t, int64_t>> lines = {{fns[static_cast<size_t>(i % kFunctions)], 10 + i}};
    if (i % 5 == 0) lines.push_back({fns[static_cast<size_t>((i + 7) % kFunctions)], 99});
    loc[static_cast<size_t>(i)] = b.location(lines, mapping_ids[m], maps[m].start + shift + 0x40 * (i + 1));
  }
  std::uniform_int_distribution<int> pick(0, 39), depth(1, 8), count(1, 4), coin(0, 9);
  static const char* kEndpoints[] = {"/a", "/b", "/c"};
  for (int s = 0; s < 25; ++s) {
    std::vector<uint64_t> stack;
    for (int d = depth(rng); d > 0; --d) stack.push_back(loc[static_cast<size_t>(pick(rng))]);
    const int64_t n = count(rng);
    auto& sample = b.sample(stack, {n, n * 10 * per_ms});
    if (coin(rng) < 7) b.label(sample, "endpoint", kEndpoints[coin(rng) % 3]);
    if (coin(rng) < 3) b.label(sample, "region", coin(rng) < 5 ? "eu" : "us");
    if (coin(rng) < 4) b.num_label(sample, "bytes", coin(rng) < 5 ? 512 : 4096, coin(rng) < 5 ? "bytes" : "");
  }
  auto p = decode::decode_profile(b.bytes(), "host" + std::to_string(host));
  REQUIRE(p.ok());
  return std::move(*p);
}

model::Profile merge_all(const std::vector<const model::Profile*>& parts) {
  model::Merger m;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) REQUIRE(model::check_mergeable(*parts[0], "first", *parts[i], "part"));
    REQUIRE(m.add(*parts[i], "part"));
  }
  return m.finish();
}

// What a reduce task reads: the partial profile's wire bytes, decoded.
model::Profile round_trip(const model::Profile& p) {
  auto back = decode::decode_profile(encode::encode_profile(p), "partial.pb");
  REQUIRE(back.ok());
  return std::move(*back);
}

// Merges `items` in a random tree: split into 2..4 random non-empty runs,
// each merged the same way, their results merged in order.
model::Profile merge_tree(const std::vector<const model::Profile*>& items, std::mt19937_64& rng) {
  if (items.size() == 1) return merge_all(items);
  const size_t parts = std::min<size_t>(items.size(), std::uniform_int_distribution<size_t>(2, 4)(rng));
  std::vector<size_t> cuts;
  for (size_t i = 1; i < items.size(); ++i) cuts.push_back(i);
  std::shuffle(cuts.begin(), cuts.end(), rng);
  cuts.resize(parts - 1);
  std::sort(cuts.begin(), cuts.end());
  cuts.push_back(items.size());
  std::vector<model::Profile> partial;
  size_t from = 0;
  for (size_t to : cuts) {
    model::Profile p = merge_tree({items.begin() + static_cast<long>(from), items.begin() + static_cast<long>(to)}, rng);
    partial.push_back(rng() % 2 ? round_trip(p) : std::move(p));
    from = to;
  }
  std::vector<const model::Profile*> ptrs;
  for (const model::Profile& p : partial) ptrs.push_back(&p);
  return merge_all(ptrs);
}

struct Reports {
  std::string top, top_samples, fold, tree;
  std::map<std::string, std::vector<int64_t>> samples;  // stack names + labels -> values
  bool operator==(const Reports&) const = default;
};

std::string sample_key(const model::Profile& p, const model::Sample& s) {
  std::string key;
  for (model::LocationId l : p.stack(s)) {
    for (const model::Line& ln : p.location_lines(p.locations[l])) {
      key += std::string(p.str(p.functions[ln.function].name)) + ":" + std::to_string(ln.line) + ",";
    }
    key += ";";
  }
  std::vector<std::string> labels;
  for (const model::Label& l : p.sample_labels(s)) {
    labels.push_back(std::string(p.str(l.key)) + "=" + std::string(p.str(l.str)) + "/" + std::to_string(l.num) +
                     std::string(p.str(l.num_unit)));
  }
  std::sort(labels.begin(), labels.end());
  for (const std::string& l : labels) key += " " + l;
  return key;
}

Reports reports(const model::Profile& p) {
  Reports r;
  report::TopOptions o;
  auto top = report::top_table(p, o);
  REQUIRE(top.ok());
  r.top = report::format_top_text(*top);
  o.sample_index = "samples";
  auto counts = report::top_table(p, o);
  REQUIRE(counts.ok());
  r.top_samples = report::format_top_text(*counts);
  auto tree = report::tree_report(p, report::TopOptions{}, "");
  REQUIRE(tree.ok());
  r.tree = tree->text;
  auto fold = fold::prepare_fold(p, "merged", fold::Selection{}, fold::TrieOptions{});
  REQUIRE(fold.ok());
  fold::write_folded(fold->view, fold->options, [&](std::string_view s) { r.fold += s; });
  for (size_t s = 0; s < p.samples.size(); ++s) {
    auto v = p.sample_values(s);
    auto& sum = r.samples[sample_key(p, p.samples[s])];
    sum.resize(v.size());
    for (size_t i = 0; i < v.size(); ++i) sum[i] += v[i];
  }
  return r;
}

}  // namespace

TEST_CASE("merging a fleet in random trees of random partitions gives one merge's top, fold and tree") {
  std::mt19937_64 rng(22);
  std::vector<model::Profile> fleet;
  for (int h = 0; h < 40; ++h) fleet.push_back(host_profile(h, rng));
  std::vector<const model::Profile*> all;
  for (const model::Profile& p : fleet) all.push_back(&p);
  const Reports want = reports(merge_all(all));
  // Not vacuous: every unit was met, labels and inlined frames are there.
  REQUIRE(want.top.find("Duration: 40s") != std::string::npos);
  REQUIRE(want.fold.find("(inline)") == std::string::npos);  // fold has no marks, tree does
  REQUIRE(want.tree.find("(inline)") != std::string::npos);
  REQUIRE(want.samples.size() > 500);
  REQUIRE(std::any_of(want.samples.begin(), want.samples.end(),
                      [](const auto& s) { return s.first.find("bytes=/512bytes") != std::string::npos; }));

  // The fleet's order kept, as fleet-merge keeps it: contiguous partitions.
  for (int trial = 0; trial < 25; ++trial) {
    INFO("ordered trial " << trial);
    CHECK(reports(merge_tree(all, rng)) == want);
  }
  // Any partition in any order: the content depends on none of it.
  for (int trial = 0; trial < 25; ++trial) {
    INFO("shuffled trial " << trial);
    std::vector<const model::Profile*> shuffled = all;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    CHECK(reports(merge_tree(shuffled, rng)) == want);
  }
}
