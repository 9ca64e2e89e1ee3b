#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora (called by make-corpus.sh).

    make-corpus.py SRC_DIR PCAP_DIR OUT_DIR

PCAP_DIR holds one directory per traffic file, with the captures
xsw-pcapgen made from it (<port>.pcap).  Everything here is a pure
function of those files and of the repository's YAML files, so the
output is the same on every run.
"""
import os
import re
import struct
import sys

NS = 1000000000
# fuzz_pipeline.c's clock steps, by the high nibble of the control byte.
STEPS = [0, 1000, 100000, NS // 1000, NS // 100, NS // 10, NS // 2, NS,
         2 * NS, 5 * NS, 11 * NS, 31 * NS, 61 * NS, 121 * NS, 301 * NS,
         3601 * NS]
# pipeline.yaml's ports; other traffic files' ports map by sorted name.
PIPELINE_PORTS = ['a1', 'a2', 'a3', 't1', 't2']
CHUNK_FRAMES = 24
CHUNK_BYTES = 4000


def read_pcap(path):
    """(ts_ns, frame) of a classic little-endian pcap file."""
    data = open(path, 'rb').read()
    magic, = struct.unpack_from('<I', data, 0)
    scale = {0xa1b2c3d4: 1000, 0xa1b23c4d: 1}[magic]
    out, off = [], 24
    while off + 16 <= len(data):
        sec, frac, caplen, _ = struct.unpack_from('<IIII', data, off)
        off += 16
        out.append((sec * NS + frac * scale, data[off:off + caplen]))
        off += caplen
    return out


def step_for(delta):
    return max(i for i, s in enumerate(STEPS) if s <= delta)


def pipeline_seeds(pcap_dir, out):
    for name in sorted(os.listdir(pcap_dir)):
        d = os.path.join(pcap_dir, name)
        ports = sorted(p[:-5] for p in os.listdir(d) if p.endswith('.pcap'))
        index = {}
        for i, p in enumerate(ports):
            index[p] = (PIPELINE_PORTS.index(p) if p in PIPELINE_PORTS
                        else i % len(PIPELINE_PORTS))
        frames = []
        for p in ports:
            for seq, (ts, frame) in enumerate(read_pcap(
                    os.path.join(d, p + '.pcap'))):
                frames.append((ts, index[p], seq, frame))
        frames.sort(key=lambda f: (f[0], f[1], f[2]))
        chunks, cur, size, last = [], b'', 0, None
        for ts, port, _, frame in frames:
            rec_len = 3 + len(frame)
            if cur and (size >= CHUNK_FRAMES
                        or len(cur) + rec_len > CHUNK_BYTES):
                chunks.append(cur)
                cur, size, last = b'', 0, None
            step = 0 if last is None else step_for(ts - last)
            last = ts if last is None else last + STEPS[step]
            ctl = step << 4 | port
            cur += struct.pack('>BH', ctl, len(frame)) + frame
            size += 1
        if cur:
            chunks.append(cur)
        for k, c in enumerate(chunks):
            write(out, '%s-%d' % (name, k), c)


PATH_PREFIX = re.compile(r'(?<![\w./-])(?:in|out|traffic)/')


def config_seeds(src, extra, out):
    files = []
    for top in ('examples', 'tests'):
        for root, dirs, names in os.walk(os.path.join(src, top)):
            dirs[:] = sorted(x for x in dirs if x not in ('corpus', 'regress'))
            files += [os.path.join(root, n) for n in sorted(names)
                      if n.endswith('.yaml')]
    files += [os.path.join(extra, n) for n in sorted(os.listdir(extra))
              if n.endswith('.yaml')]
    for f in sorted(set(files)):
        text = open(f).read()
        # Paths without directories, so fuzz-config builds the switch
        # (it refuses output paths with a '/').
        text = PATH_PREFIX.sub('', text).replace('/dev/null', 'devnull')
        rel = os.path.relpath(f, src)
        write(out, rel[:-5].replace('/', '_'), text.encode())


def pcap_header(magic, endian='<', linktype=1, snaplen=65535):
    return struct.pack(endian + 'IHHiIII', magic, 2, 4, 0, 0, snaplen,
                       linktype)


def pcap_record(sec, frac, frame, endian='<', caplen=None, length=None):
    caplen = len(frame) if caplen is None else caplen
    length = len(frame) if length is None else length
    return struct.pack(endian + 'IIII', sec, frac, caplen, length) + frame


def pcapng(frames, tsresol=None, linktype=1):
    def block(btype, body):
        body += b'\0' * (-len(body) % 4)
        n = 12 + len(body)
        return struct.pack('<II', btype, n) + body + struct.pack('<I', n)
    shb = block(0x0a0d0d0a, struct.pack('<IHHq', 0x1a2b3c4d, 1, 0, -1))
    opts = b''
    if tsresol is not None:
        opts = struct.pack('<HHB', 9, 1, tsresol) + b'\0' * 3
        opts += struct.pack('<HH', 0, 0)
    idb = block(1, struct.pack('<HHI', linktype, 0, 0) + opts)
    out = shb + idb
    for ts, frame in frames:
        out += block(6, struct.pack('<IIIII', 0, ts >> 32, ts & 0xffffffff,
                                    len(frame), len(frame)) + frame)
    # A simple packet block too (no timestamp).
    if frames:
        out += block(3, struct.pack('<I', len(frames[0][1])) + frames[0][1])
    return out


def pcap_seeds(pcap_dir, out):
    base = read_pcap(os.path.join(pcap_dir, 'pipeline', 'a1.pcap'))[:12]
    tagged = read_pcap(os.path.join(pcap_dir, 'pipeline', 't1.pcap'))[:8]
    us = pcap_header(0xa1b2c3d4)
    recs = b''.join(pcap_record(ts // NS, ts % NS // 1000, f)
                    for ts, f in base)
    write(out, 'classic-usec', us + recs)
    write(out, 'classic-usec-tagged', us + b''.join(
        pcap_record(ts // NS, ts % NS // 1000, f) for ts, f in tagged))
    write(out, 'classic-nsec', pcap_header(0xa1b23c4d) + b''.join(
        pcap_record(ts // NS, ts % NS, f) for ts, f in base))
    write(out, 'classic-big-endian', pcap_header(0xa1b2c3d4, '>') + b''.join(
        pcap_record(ts // NS, ts % NS // 1000, f, '>') for ts, f in base))
    write(out, 'pcapng-usec', pcapng([(ts // 1000, f) for ts, f in base]))
    write(out, 'pcapng-nsec', pcapng([(ts, f) for ts, f in base], 9))
    write(out, 'pcapng-raw-ip', pcapng([(0, base[0][1][14:])], None, 101))
    f0, f1 = base[4][1], base[5][1]
    odd = [
        pcap_record(5, 0, f0),
        pcap_record(4, 999999, f1),               # back in time
        pcap_record(4, 2000000, f0),              # microseconds overflow
        pcap_record(0xffffffff, 999999, f1),      # the end of time
        pcap_record(6, 0, b''),                   # empty frame
        pcap_record(6, 1, f0[:10]),               # runt
        pcap_record(6, 2, f0[:30], length=len(f0)),   # truncated capture
        pcap_record(6, 3, f0, length=8),          # caplen > len
        pcap_record(6, 4, b'\x02' * 9300),        # larger than the buffer
    ]
    write(out, 'classic-odd-records', us + b''.join(odd))
    write(out, 'classic-cut-record', us + recs[:len(recs) - 7])
    write(out, 'classic-cut-header', us + recs[:10])
    write(out, 'classic-huge-caplen', us + struct.pack('<IIII', 1, 0,
                                                        0x7fffffff, 60))
    write(out, 'classic-raw-ip', pcap_header(0xa1b2c3d4, '<', 101) +
          pcap_record(1, 0, f0[14:]))
    write(out, 'classic-snaplen-0', pcap_header(0xa1b2c3d4, '<', 1, 0) +
          recs)
    write(out, 'classic-header-only', us)
    write(out, 'empty', b'')


def write(out, name, data):
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)


def main():
    src, pcap_dir, out = sys.argv[1:4]
    for t in ('pipeline', 'config', 'pcap'):
        os.makedirs(os.path.join(out, t), exist_ok=True)
    pipeline_seeds(pcap_dir, os.path.join(out, 'pipeline'))
    config_seeds(src, os.path.join(src, 'tests', 'fuzz', 'seeds'),
                 os.path.join(out, 'config'))
    pcap_seeds(pcap_dir, os.path.join(out, 'pcap'))


if __name__ == '__main__':
    main()
