// gperftools' binary CPU profile ("profilez"), C++ and Java variants:
// pprof's parseCPU, cpuProfile, parseCPUSamples and javaCPUProfile.
#include <map>

#include "legacy_profile.h"

namespace pprofx::legacy {
namespace {

// Reads fixed-size words; once short of bytes it is "nil" like pprof's getters.
struct Words {
  std::string_view b;
  bool nil = false;
  int size = 8;
  bool big = false;

  uint64_t next() {
    if (nil || b.size() < static_cast<size_t>(size)) {
      nil = true;
      b = {};
      return 0;
    }
    uint64_t v = 0;
    for (int k = 0; k < size; ++k) {
      const int byte = big ? k : size - 1 - k;
      v = (v << 8) | static_cast<unsigned char>(b[byte]);
    }
    b.remove_prefix(size);
    return v;
  }
};

// parseCPUSamples. Returns false for "unrecognized".
bool parse_cpu_samples(Words& w, bool adjust, LProfile& p) {
  while (!w.b.empty()) {
    const uint64_t count = w.next();
    const uint64_t nstk = w.next();
    if (w.nil || nstk > w.b.size() / 4) return false;
    std::vector<uint64_t> addrs(nstk);
    for (auto& a : addrs) a = w.next();
    if (count == 0 && nstk == 1 && addrs[0] == 0) break;  // end-of-data marker
    LSample s;
    s.locations.reserve(nstk);
    for (size_t i = 0; i < addrs.size(); ++i) {
      s.locations.push_back(p.location_for(adjust && i > 0 ? addrs[i] - 1 : addrs[i]));
    }
    // Go multiplies with wrap-around.
    s.values = {static_cast<int64_t>(count), static_cast<int64_t>(count * static_cast<uint64_t>(p.period))};
    p.samples.push_back(std::move(s));
  }
  return true;
}

// The signal handler's frame: if most samples share their second frame, drop it
// (twice at most).
void strip_signal_frames(LProfile& p) {
  const size_t margin = p.samples.size() / 32;
  for (int iter = 0; iter < 2; ++iter) {
    std::map<uint64_t, size_t> second;
    for (const LSample& s : p.samples) {
      if (s.locations.size() > 1) ++second[p.locations[s.locations[1]].address];
    }
    for (const auto& [address, count] : second) {
      if (count >= p.samples.size() - margin) {
        for (LSample& s : p.samples) {
          if (s.locations.size() > 1 && p.locations[s.locations[1]].address == address) {
            s.locations.erase(s.locations.begin() + 1);
          }
        }
        break;  // at most one address can qualify
      }
    }
  }
}

LProfile cpu_header(int64_t period_us) {
  LProfile p;
  p.period = static_cast<int64_t>(static_cast<uint64_t>(period_us) * 1000);
  p.period_type = {"cpu", "nanoseconds"};
  p.sample_types = {{"samples", "count"}, {"cpu", "nanoseconds"}};
  return p;
}

}  // namespace

Parsed parse_cpu(std::string_view b) {
  for (int size : {4, 8}) {
    for (bool big : {false, true}) {
      Words w{b, false, size, big};
      const uint64_t n1 = w.next(), n2 = w.next(), n3 = w.next(), n4 = w.next(), n5 = w.next();
      if (w.nil || n1 != 0 || n2 != 3 || n4 == 0 || n5 != 0 || n3 > 1) continue;
      Parsed out;
      out.kind = Parsed::kOk;
      out.profile = cpu_header(static_cast<int64_t>(n4));
      LProfile& p = out.profile;
      if (n3 == 1) {  // Java
        if (!parse_cpu_samples(w, false, p)) return Parsed::unrecognized();
        if (std::string e = parse_java_locations(w.b, p); !e.empty()) return Parsed::fail(std::move(e));
        strip_java_addresses(p);
        return out;
      }
      if (!parse_cpu_samples(w, true, p)) return Parsed::unrecognized();
      strip_signal_frames(p);
      Scanner s(w.b);
      if (std::string e = parse_memory_map(s, p); !e.empty()) return Parsed::fail(std::move(e));
      cleanup_duplicate_locations(p);
      return out;
    }
  }
  return Parsed::unrecognized();
}

}  // namespace pprofx::legacy
