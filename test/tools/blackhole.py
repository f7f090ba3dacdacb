# A loopback port where a TCP connect never completes: listen(0) leaves room for one queued
# connection, this script fills it (and more) and never accepts, so the kernel drops further
# SYNs and a client's connect hangs until its own timeout. Prints the port, lives 60 s.
import socket, time
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)
port = s.getsockname()[1]
held = []
for _ in range(3):
    c = socket.socket(); c.settimeout(0.3)
    try: c.connect(('127.0.0.1', port)); held.append(c)
    except Exception: pass
print(port, flush=True)
time.sleep(60)
