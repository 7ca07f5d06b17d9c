pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "./chunk-commitment.circom";

// Aggregate statistics over one committed chunk of up to N non-negative BITS-bit
// integers (fixed-point values scaled by the client): how many of the first `length`
// values are ≥ threshold, their sum and their sum of squares.
// Public: the result commitment, the chunk commitment (over the length, then the values),
// the length. Private: the values
// (zero beyond `length`), their salt, the threshold (0 keeps every value), the results
// and the result salt. The chain checks the proof without learning the numbers; the
// submitter, given the opening, checks it against `resultCommitment`.
template Stats(N, BITS) {
    signal input values[N];
    signal input salt;
    signal input commitment;
    signal input threshold;
    signal input length;
    signal input resultSalt;
    signal output resultCommitment;

    // Soundness: the data proven about is exactly the committed data, and so is its
    // length: the commitment covers (length, values…), so a prover can't choose `length`
    // (count a short chunk's padding, or leave values out) against what was uploaded.
    component committed = ChunkCommitment(N + 1);
    committed.values[0] <== length;
    for (var i = 0; i < N; i++) committed.values[i + 1] <== values[i];
    committed.salt <== salt;
    committed.commitment === commitment;

    // Soundness: `inLength` is a prefix mask (1…1 0…0) with `length` ones, and the
    // padding after it is zero, so padding is never counted (it would match threshold 0).
    signal inLength[N];
    var ones = 0;
    for (var i = 0; i < N; i++) {
        inLength[i] <-- i < length ? 1 : 0;
        inLength[i] * (1 - inLength[i]) === 0;
        if (i > 0) inLength[i] * (1 - inLength[i - 1]) === 0;
        values[i] * (1 - inLength[i]) === 0;
        ones += inLength[i];
    }
    ones === length;

    // Soundness: BITS-bit values and threshold, so the comparison below is meaningful
    // and the sums (< N · 2^(2·BITS)) can't wrap around the field.
    component thresholdBits = Num2Bits(BITS);
    thresholdBits.in <== threshold;
    component valueBits[N];
    component atLeast[N];
    signal kept[N];
    signal selected[N];
    signal squared[N];
    var c = 0;
    var s = 0;
    var q = 0;
    for (var i = 0; i < N; i++) {
        valueBits[i] = Num2Bits(BITS);
        valueBits[i].in <== values[i];
        atLeast[i] = GreaterEqThan(BITS);
        atLeast[i].in[0] <== values[i];
        atLeast[i].in[1] <== threshold;
        kept[i] <== atLeast[i].out * inLength[i];
        selected[i] <== kept[i] * values[i];
        squared[i] <== selected[i] * values[i];
        c += kept[i];
        s += selected[i];
        q += squared[i];
    }
    // Soundness: the commitment binds exactly these results and this threshold; the
    // random salt hides them (counts and small sums could otherwise be guessed).
    component result = ChunkCommitment(4);
    result.values[0] <== c;
    result.values[1] <== s;
    result.values[2] <== q;
    result.values[3] <== threshold;
    result.salt <== resultSalt;
    resultCommitment <== result.commitment;
}
