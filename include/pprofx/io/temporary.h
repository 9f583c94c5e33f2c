// Temporary files for atomic publication (io::OutputStream, the baseline
// store): created in the target's own directory (so rename/link stay atomic)
// under a short name, .pprofx-XXXXXX, which fits beside any valid file name.
//
// Abandoned temporaries: while its writer lives, a temporary is locked
// (flock, held by the writer's open file). SIGINT, SIGTERM and SIGHUP remove
// the live temporaries of the process (install_signal_cleanup) and then end it
// with the signal's own status. After a SIGKILL or a crash the lock is gone
// with the process: remove_stale_temporaries treats a .pprofx-XXXXXX regular
// file nobody holds locked as abandoned and removes it. The writer takes its
// lock right after creating the file and retries if a cleaner removed the
// file in between, so a live temporary is never removed. create() blocks the
// three signals in its thread until the new file is registered (pprofx
// writes outputs on its main thread, with no other thread running).
#pragma once

#include <string>

#include "pprofx/base/result.h"

namespace pprofx::io {

class Temporary {
 public:
  // Creates and locks dir_fd/.pprofx-XXXXXX (mode 0600, O_EXCL, never through
  // a symlink). Errors: "SHOWN: cannot create: REASON".
  static Result<Temporary> create(int dir_fd, const std::string& shown);
  Temporary(Temporary&& o) noexcept;
  Temporary& operator=(Temporary&&) = delete;
  ~Temporary();  // unpublished: closed and removed

  int fd() const { return fd_; }
  const std::string& name() const { return name_; }

  // Closes the file for writing (0 or the errno of close, which reports
  // delayed write errors); the lock is kept until publish or destruction.
  int close_writer();
  // renameat over dir_fd/target (replacing it); 0 or errno.
  int publish_rename(const std::string& target);
  // linkat to dir_fd/target, which never replaces a file (EEXIST), then the
  // temporary name is removed; 0 or errno (the temporary stays on failure).
  int publish_link(const std::string& target);

 private:
  Temporary() = default;
  void forget();  // drops the lock and the registration; the name is no longer ours
  int dir_fd_ = -1;
  int fd_ = -1;
  int lock_fd_ = -1;
  int slot_ = -1;
  std::string name_;
};

// Removes the abandoned temporaries (.pprofx-XXXXXX, regular, unlocked) in
// dir_fd; returns how many. Never follows a symlink; errors are ignored.
size_t remove_stale_temporaries(int dir_fd);

// Installs handlers for SIGINT, SIGTERM and SIGHUP (unless ignored, as under
// nohup) that unlink the process's live temporaries, restore the default
// action and re-raise the signal. Async-signal-safe: a fixed table of
// (directory fd, name) slots, unlinkat only.
void install_signal_cleanup();

// Unlinks the process's live temporaries (what the signal handlers do), for a
// process about to end without unwinding. Async-signal-safe.
void remove_live_temporaries();

}  // namespace pprofx::io
