pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";

// Salted commitment to N field elements, a Poseidon chain over blocks of 15:
//   state_0 = salt;  state_{k+1} = Poseidon(state_k, v_{15k}, …, v_{15k+14})
// with the last block padded with zeros. The salt (random, kept with the data) makes the
// commitment reveal nothing about small-domain data. Computed the same way in
// protocol/proof/chunk-commitment.ts (tested against this circuit).
template ChunkCommitment(N) {
    signal input values[N];
    signal input salt;
    signal output commitment;

    var BLOCKS = (N + 14) \ 15;
    component rounds[BLOCKS];
    signal state[BLOCKS + 1];
    state[0] <== salt;
    for (var k = 0; k < BLOCKS; k++) {
        rounds[k] = Poseidon(16);
        rounds[k].inputs[0] <== state[k];
        for (var j = 0; j < 15; j++) {
            var index = 15 * k + j;
            if (index < N) {
                rounds[k].inputs[j + 1] <== values[index];
            } else {
                rounds[k].inputs[j + 1] <== 0;
            }
        }
        state[k + 1] <== rounds[k].out;
    }
    commitment <== state[BLOCKS];
}
