"""Mark ramtop phases from Python: one import, no socket code.

    from ramtop_phase import mark, phase

    load_interpreter_stuff()
    mark("imports")                 # a phase: the figures right now
    with phase("weights"):          # marks "weights start", then "weights"
        model = load_weights()

Under ``ramtop [-o FILE] -- python3 script.py`` each call records a phase
in that ramtop (it answers once the phase is recorded, so memory touched
afterwards belongs to the next phase).  Without ramtop (``RAMTOP_SOCKET``
is not set) every call does nothing, and the first one warns once
(a ``RamtopWarning``, which ``warnings`` filters can silence).

``phase(label)`` marks ``"<label> start"`` when the block begins and
``"<label>"`` when it ends: the phase named ``label`` then holds the
figures at the end of the block, and its change since the previous phase
(a budget's ``delta``) is exactly what the block cost.

Single file, standard library only: copy it next to your code, or
``pip install contrib/python``.  The protocol (docs/marking.md): one line
``mark LABEL\\n`` per connection to the UNIX socket in ``RAMTOP_SOCKET``;
the answer is ``ok N\\n`` (N: the phase's index) or ``err REASON\\n``.
"""

import contextlib
import os
import socket
import sys
import warnings

__all__ = ["mark", "phase", "active", "RamtopWarning"]
__version__ = "0.1.0"

# What ramtop takes: a label of at most 128 bytes of UTF-8, a request of
# at most 256 bytes; it answers within its own mark time-out.
LABEL_MAX = 128
TIMEOUT_S = 60.0


class RamtopWarning(UserWarning):
    """Marks are not recorded (not under ramtop, or ramtop refused)."""


_warned = False


def _caller_level():
    """The stacklevel of the first caller outside this module and
    contextlib, so that the warning names the user's line."""
    level, f = 1, sys._getframe(1)
    skip = (os.path.abspath(__file__), os.path.abspath(contextlib.__file__))
    while f is not None and os.path.abspath(f.f_code.co_filename) in skip:
        f = f.f_back
        level += 1
    return level


def _warn_once(msg):
    global _warned
    if not _warned:
        _warned = True
        warnings.warn("ramtop_phase: " + msg, RamtopWarning,
                      stacklevel=_caller_level())


def active():
    """True when running under a ramtop that takes marks."""
    return bool(os.environ.get("RAMTOP_SOCKET"))


def _clean(label, room=LABEL_MAX):
    """One line of at most `room` bytes of UTF-8, cut between characters."""
    text = " ".join(str(label).split())
    data = text.encode("utf-8", "replace")
    if len(data) <= room:
        return text
    return data[:room].decode("utf-8", "ignore").rstrip()


def mark(label=""):
    """Mark a phase now.  Returns its index, or None when not recorded."""
    path = os.environ.get("RAMTOP_SOCKET")
    if not path:
        _warn_once("not running under ramtop (RAMTOP_SOCKET is not set); "
                   "phase marks are ignored")
        return None
    label = _clean(label)
    line = ("mark " + label if label else "mark") + "\n"
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(TIMEOUT_S)
            s.connect(path)
            s.sendall(line.encode("utf-8"))
            reply = b""
            while not reply.endswith(b"\n"):
                chunk = s.recv(256)
                if not chunk:
                    break
                reply += chunk
    except OSError as e:
        _warn_once("cannot mark phase %r through %s: %s" % (label, path, e))
        return None
    answer = reply.decode("utf-8", "replace").strip()
    if answer.startswith("ok "):
        try:
            return int(answer[3:])
        except ValueError:
            return None
    _warn_once("ramtop refused the mark %r: %s" % (label, answer or "no answer"))
    return None


@contextlib.contextmanager
def phase(label):
    """Mark "<label> start" on entry and "<label>" on exit (also when the
    block raises), so the phase `label` is what the block cost."""
    base = _clean(label, LABEL_MAX - len(" start"))
    mark(base + " start")
    try:
        yield
    finally:
        mark(base)
