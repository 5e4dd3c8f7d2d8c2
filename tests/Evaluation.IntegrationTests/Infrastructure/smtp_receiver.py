#!/usr/bin/python3
"""A real SMTP server on loopback for the mail tests (Debian's python3-aiosmtpd).

Usage: smtp_receiver.py PORT DIRECTORY
Stores every message as DIRECTORY/NNNNNN.eml (envelope recipients in an X-Envelope-To header first), prints
"ready" once it listens, and runs until stdin closes (the test process ending stops it too).
"""
import os
import sys

from aiosmtpd.controller import Controller


class Store:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        path = os.path.join(self.directory, "%06d" % self.count)
        with open(path + ".tmp", "wb") as message:
            message.write(("X-Envelope-To: %s\r\n" % ",".join(envelope.rcpt_tos)).encode("ascii"))
            message.write(envelope.original_content or envelope.content)
        os.rename(path + ".tmp", path + ".eml")
        return "250 OK"


controller = Controller(Store(sys.argv[2]), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
