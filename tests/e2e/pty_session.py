"""A program driven through a pseudo-terminal, as a person types into it: the e2e tests of the
shell and of the labs' shell use it. Output is read with terminal escapes and carriage returns
removed."""
import os
import pty
import re
import select
import time

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r")


class Pty:
    def __init__(self, argv, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(argv[0], argv, env)
        self.buf = ""

    def read_until(self, pattern, timeout=20.0):
        end = time.time() + timeout
        while time.time() < end:
            clean = ANSI.sub("", self.buf)
            if re.search(pattern, clean):
                return clean
            r, _, _ = select.select([self.fd], [], [], 0.1)
            if r:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    break
                if not data:
                    break
                self.buf += data.decode("utf-8", "replace")
        return None

    def send(self, text):
        os.write(self.fd, text.encode())

    def clear(self):
        self.buf = ""

    def close(self):
        try:
            os.kill(self.pid, 9)
        except OSError:
            pass
        os.waitpid(self.pid, 0)
