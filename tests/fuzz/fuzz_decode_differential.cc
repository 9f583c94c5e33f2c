// Differential fuzz target: pprofx's wire reader against libprotobuf's
// generated parser. When both accept the bytes, they must see the same
// profile. (Each may reject what the other accepts: pprofx follows pprof,
// which is stricter about wire types and ids and laxer about field numbers.)
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "oracle_compare.h"
#include "pprofx/decode/decode.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pprofx;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto mine = decode::decode_profile(bytes, "fuzz");
  if (!mine) return 0;
  perftools::profiles::Profile oracle;
  if (!oracle.ParseFromArray(data, static_cast<int>(size))) return 0;
  const std::string diff = testing::compare_with_oracle(*mine, oracle, /*compare_period_type=*/false);
  if (!diff.empty()) {
    std::fprintf(stderr, "pprofx and libprotobuf disagree: %s\n", diff.c_str());
    std::abort();
  }
  return 0;
}
