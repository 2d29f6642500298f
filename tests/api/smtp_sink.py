"""A minimal SMTP server on loopback that keeps every message it is given, for the tests that
follow an e-mail from the outbox to the customer (RFC 5321: EHLO/HELO, MAIL, RCPT, DATA, RSET,
NOOP, QUIT; no authentication, no TLS)."""

import email
import email.policy
import socket
import threading
import time


class SmtpSink:

    def __init__(self):
        self.messages = []          # email.message.EmailMessage, in arrival order
        self._lock = threading.Lock()
        self._sock = socket.socket()
        self._sock.bind(('127.0.0.1', 0))
        self._sock.listen(8)
        self.port = self._sock.getsockname()[1]
        self._stop = False
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self):
        return 'smtp://127.0.0.1:%d' % self.port

    def close(self):
        self._stop = True
        self._sock.close()

    def wait_for(self, predicate, timeout=15):
        """The first message for which predicate(msg) is true, waiting up to timeout seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for m in self.messages:
                    if predicate(m):
                        return m
            time.sleep(0.05)
        raise AssertionError('no such message within %ss; have %r'
                             % (timeout, [(m['To'], m['Subject']) for m in self.messages]))

    def _serve(self):
        while not self._stop:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn):
        f = conn.makefile('rb')
        send = lambda line: conn.sendall(line.encode() + b'\r\n')
        try:
            send('220 sink ESMTP')
            while True:
                line = f.readline()
                if not line:
                    return
                verb = line.strip().split(b' ')[0].upper()
                if verb == b'EHLO':
                    send('250-sink')
                    send('250 8BITMIME')
                elif verb == b'DATA':
                    send('354 go ahead')
                    data = []
                    while True:
                        d = f.readline()
                        if not d or d == b'.\r\n':
                            break
                        data.append(d[1:] if d.startswith(b'..') else d)
                    msg = email.message_from_bytes(b''.join(data), policy=email.policy.default)
                    with self._lock:
                        self.messages.append(msg)
                    send('250 kept')
                elif verb == b'QUIT':
                    send('221 bye')
                    return
                else:               # HELO, MAIL, RCPT, RSET, NOOP
                    send('250 ok')
        except OSError:
            pass
        finally:
            conn.close()


def text_of(msg):
    """The plain-text part of a message."""
    part = msg.get_body(preferencelist=('plain',))
    return part.get_content() if part is not None else ''
