#!/usr/bin/env python3
"""Write the consumers' sample .npy without NumPy: 1..6 as a 2x3 '<f8' array (sum 21).

    write_sample.py PATH
"""
import struct
import sys

header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"
header += " " * (63 - (10 + len(header)) % 64) + "\n"
with open(sys.argv[1], "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1"))
    f.write(struct.pack("<6d", 1, 2, 3, 4, 5, 6))
