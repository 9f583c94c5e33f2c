#!/usr/bin/env python3
"""cmake --install into a temporary prefix, then the installed things used for
real: the binary (--version), the man page rendered by man (every command
there, no groff warnings), bash completion run by bash, zsh completion by an
interactive zsh on a pseudo-terminal.

Usage: install_test.py BUILD_DIR
"""
import os, pty, re, select, shutil, subprocess, sys, tempfile, time

BUILD = os.path.abspath(sys.argv[1])
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f"\n     {detail!r}"[:1500]))


for tool in ("man", "zsh", "bash"):
    if shutil.which(tool) is None:
        print(f"FAIL: {tool} not found: run scripts/install-deps.sh --tests")
        sys.exit(1)


def zsh_complete(fpath, line, home):
    """Types `line` and TAB into an interactive zsh; returns what it echoed."""
    master, slave = pty.openpty()
    env = dict(os.environ, TERM="dumb", HOME=home)
    p = subprocess.Popen(["zsh", "-f", "-i"], stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)

    def read(seconds):
        out, end = b"", time.time() + seconds
        while time.time() < end:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    out += os.read(master, 65536)
                except OSError:
                    break
        return out

    os.write(master, f"fpath=({fpath} $fpath); autoload -Uz compinit; compinit -u -d {home}/zcd; PS1='> '\n".encode())
    read(2)
    os.write(master, line.encode() + b"\t")
    out = read(1.5)
    if line.endswith("="):  # a list of choices may need a second TAB
        os.write(master, b"\t")
        out += read(1.5)
    os.write(master, b"\x03exit\n")
    read(0.3)
    p.kill()
    p.wait()
    os.close(master)
    return out.decode(errors="replace")


def bash_complete(script, words):
    """COMPREPLY of the installed bash completion for the words (the last one being completed)."""
    quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
    cmd = f"source '{script}'; COMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; _pprofx; printf '%s\\n' \"${{COMPREPLY[@]}}\""
    return subprocess.run(["bash", "--norc", "-c", cmd], capture_output=True, text=True).stdout.split()


with tempfile.TemporaryDirectory() as prefix:
    r = subprocess.run(["cmake", "--install", BUILD, "--prefix", prefix], capture_output=True, text=True)
    check("cmake --install succeeds", r.returncode == 0, r.stderr)
    exe = os.path.join(prefix, "bin", "pprofx")
    man1 = os.path.join(prefix, "share", "man", "man1", "pprofx.1")
    bash_script = os.path.join(prefix, "share", "bash-completion", "completions", "pprofx")
    zsh_dir = os.path.join(prefix, "share", "zsh", "vendor-completions")
    check("it installs the binary, the man page and both completions",
          all(os.path.exists(p) for p in (exe, man1, bash_script, os.path.join(zsh_dir, "_pprofx"))))
    v = subprocess.run([exe, "--version"], capture_output=True, text=True)
    check("pprofx --version", v.returncode == 0 and re.fullmatch(r"pprofx \d+\.\d+\.\d+\n", v.stdout), v.stdout)

    help_text = subprocess.run([exe, "--help"], capture_output=True, text=True).stdout
    commands = re.findall(r"^  (\w+)\s", re.split(r"^Subcommands:$", help_text, flags=re.M | re.I)[-1], re.M)
    env = dict(os.environ, MANPATH=os.path.join(prefix, "share", "man"), MANWIDTH="100", LC_ALL="C.UTF-8")
    page = subprocess.run(["man", "pprofx"], capture_output=True, text=True, env=env)
    check("man pprofx renders the installed page (MANPATH)", page.returncode == 0 and
          "NAME" in page.stdout and "pprofx - analyse pprof profiles" in page.stdout, page.stderr)
    missing = [c for c in commands if f"pprofx {c}" not in page.stdout]
    check(f"the man page documents every command of --help ({len(commands)})", len(commands) >= 13 and not missing,
          missing)
    check("...with their options and the exit statuses",
          "--focus-function" in page.stdout and "--nodecount" in page.stdout and "EXIT STATUS" in page.stdout and
          "NO_COLOR" in page.stdout)
    warn = subprocess.run(["man", "--warnings", "-l", man1], capture_output=True, text=True, env=env)
    check("groff finds nothing to warn about", warn.returncode == 0 and warn.stderr.strip() == "", warn.stderr[:500])

    check("bash: command names", bash_complete(bash_script, ["pprofx", "cr"]) == ["cross"])
    check("bash: a command's options", "--focus-function" in bash_complete(bash_script, ["pprofx", "flame", "--foc"]))
    check("bash: an option's choices", bash_complete(bash_script, ["pprofx", "top", "--color", ""]) ==
          ["auto", "always", "never"])
    check("bash: --opt=value", bash_complete(bash_script, ["pprofx", "convert", "--format", "=", "sp"]) ==
          ["speedscope"])
    check("bash: nested commands", bash_complete(bash_script, ["pprofx", "baseline", "p"]) == ["prune"])
    check("bash: positional choices", bash_complete(bash_script, ["pprofx", "completion", "z"]) == ["zsh"])
    with tempfile.TemporaryDirectory() as home:
        open(os.path.join(home, "cpu.pb.gz"), "w").close()
        check("bash: profiles are file names",
              bash_complete(bash_script, ["pprofx", "top", os.path.join(home, "cpu")]) == [os.path.join(home, "cpu.pb.gz")])
        out = zsh_complete(zsh_dir, "pprofx cro", home)
        check("zsh: command names", "pprofx cross " in out, out)
        out = zsh_complete(zsh_dir, "pprofx flame --focus-f", home)
        check("zsh: a command's options", "--focus-function" in out, out)
        out = zsh_complete(zsh_dir, "pprofx top --color=", home)
        check("zsh: an option's choices", all(c in out for c in ("always", "auto", "never")), out)
        out = zsh_complete(zsh_dir, "pprofx baseline pr", home)
        check("zsh: nested commands", "pprofx baseline prune " in out, out)

print(f"{sum(results)}/{len(results)} passed")
sys.exit(0 if all(results) else 1)
