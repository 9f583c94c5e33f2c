// The baseline store of `pprofx check --store`: DIR/NAME/000001.pprof,
// 000002.pprof, ... (each the profile's bytes as given), oldest first, each
// written atomically, with 000001.ops beside it when saved with an operation
// count; files of other names in the directory are left alone.
//
// Inside DIR nothing is followed or opened that pprofx did not create: every
// operation works relative to the store's directory fd and NAME's folder fd
// (opened O_DIRECTORY|O_NOFOLLOW), files are opened O_NOFOLLOW, and entries
// that are not regular files (symlinks, FIFOs, devices, directories) are
// skipped and mentioned, never written, read or removed. DIR itself may be a
// symlink (the user names it). Saves are published with link(2) under the
// next free number, which never replaces a file; abandoned temporaries
// (io::Temporary) in NAME's folder are removed by save and prune.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pprofx/base/result.h"

namespace pprofx::report {

// Letters, digits, '-', '_' and '.'; not "." or "..".
bool valid_baseline_name(std::string_view name);

// The stored files of NAME, oldest first (none when NAME has no directory).
// Entries skipped (not regular files) are described in *skipped ("PATH: a
// symlink, skipped"), if given. NAME's folder being a symlink is an error.
Result<std::vector<std::string>> list_baselines(const std::string& store, const std::string& name,
                                                std::vector<std::string>* skipped = nullptr);

// The names in the store (directories with valid names), sorted. Symlinks and
// directories of other names are skipped and described in *skipped, if given;
// plain files are left alone silently.
Result<std::vector<std::string>> baseline_names(const std::string& store,
                                                std::vector<std::string>* skipped = nullptr);

// One stored baseline, read through the store's fds (never through a symlink).
struct StoredBaseline {
  std::string path;   // as list_baselines gives it
  std::string bytes;  // as stored (gzipped or not)
  int64_t ops = 0;    // the operation count saved with it (NNNNNN.ops), 0 if none
};

// The bytes of NAME's baselines, oldest first, each at most max_bytes (else an
// error). Entries removed in the meantime (a concurrent prune) are left out.
Result<std::vector<StoredBaseline>> read_baselines(const std::string& store, const std::string& name,
                                                   uint64_t max_bytes, std::vector<std::string>* skipped = nullptr);

// Stores bytes as NAME's newest baseline, then keeps the newest `keep` (at
// least 1). Returns the new file's path.
// ops > 0: the run's operation count, stored beside it as NNNNNN.ops (for
// check --normalize per-op), published after the profile; pruned with it.
Result<std::string> save_baseline(const std::string& store, const std::string& name, std::string_view bytes,
                                  size_t keep, int64_t ops = 0);

// Removes all but the newest `keep` baselines of NAME (only regular files of
// our names; one already removed by a concurrent prune is not an error).
Status prune_baselines(const std::string& store, const std::string& name, size_t keep);

}  // namespace pprofx::report
