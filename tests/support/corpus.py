"""Where the shared corpus is, for the python tests (tests/unit/corpus.h is the C++ twin).

The tests are given the build's shared folder (PPROFX_SHARED_DIR in CMake, ../shared by
default); the environment variable PPROFX_SHARED_DIR overrides it. A folder that does not
exist means "no corpus": shared_dir() returns None and the caller skips what needs it, with
a message. A folder that exists must hold the whole corpus (corpus/real, corpus/synthetic and
corpus/external, each with files): anything less exits 1, since a half-copied corpus would
otherwise pass by testing less.
"""
import os
import sys

ENV = "PPROFX_SHARED_DIR"
PARTS = ("real", "synthetic", "external")


def corpus_problem(shared):
    """None if SHARED holds a complete corpus; else what is missing."""
    for part in PARTS:
        d = os.path.join(shared, "corpus", part)
        if not os.path.isdir(d):
            return f"{d} is missing"
        if not any(files for _, _, files in os.walk(d)):
            return f"{d} holds no files"
    return None


def shared_dir(given):
    """The shared folder to use (absolute), or None when there is none (skip)."""
    shared = os.environ.get(ENV) or given
    if not shared or not os.path.exists(shared):
        return None
    problem = corpus_problem(shared)
    if problem:
        print(f"FAIL: the shared folder {shared} is present but its corpus is incomplete: {problem}"
              f" (set {ENV} to a missing folder to run without the corpus)")
        sys.exit(1)
    return os.path.abspath(shared)
