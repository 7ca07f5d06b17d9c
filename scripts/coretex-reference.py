# Coretex node-key derivation with pycryptodome, exactly as Coretex calls it:
# RSA.generate(2048, randfunc, e=65537), randfunc reading S0||S1||..., S0 = SHA256(secret),
# S(i+1) = SHA256(S(i)). Needs Debian's python3-pycryptodome (module Cryptodome):
#   apt-get install python3-pycryptodome
# Usage:
#   /usr/bin/python3 scripts/coretex-reference.py SECRET...            known answers (JSON) for
#                                                                     test/vectors/coretex.json
#   /usr/bin/python3 scripts/coretex-reference.py --timings SECRET...  milliseconds per key (JSON),
#                                                                     the bench's baseline
# Known answers hash the PEM text as Coretex writes it: PKCS#1 public, PKCS#8 private, each + "\n".
import hashlib, json, sys, time
from Cryptodome.PublicKey import RSA
from Cryptodome.IO import PEM
from Cryptodome.Util.asn1 import DerSequence


def randfunc_for(secret):
    state = {"s": hashlib.sha256(secret.encode("utf-8")).digest()}
    state["buf"] = state["s"]

    def read(n):
        out = b""
        while len(out) < n:
            if not state["buf"]:
                state["s"] = hashlib.sha256(state["s"]).digest()
                state["buf"] = state["s"]
            take = min(n - len(out), len(state["buf"]))
            out, state["buf"] = out + state["buf"][:take], state["buf"][take:]
        return out

    return read


def derive(secret):
    return RSA.generate(2048, randfunc_for(secret), e=65537)


if sys.argv[1:2] == ["--timings"]:
    timings = []
    for secret in sys.argv[2:]:
        started = time.perf_counter()
        derive(secret)
        timings.append((time.perf_counter() - started) * 1000)
    print(json.dumps(timings))
else:
    valid = []
    for secret in sys.argv[1:]:
        key = derive(secret)
        pub = PEM.encode(DerSequence([key.n, key.e]).encode(), "RSA PUBLIC KEY") + "\n"
        priv = key.export_key(format="PEM", pkcs=8).decode() + "\n"
        valid.append({"secret": secret,
                      "publicPemSha256": hashlib.sha256(pub.encode()).hexdigest(),
                      "privatePemSha256": hashlib.sha256(priv.encode()).hexdigest()})
    print(json.dumps(valid, indent=2, ensure_ascii=False))
