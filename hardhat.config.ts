// Hardhat 3: ESM like the rest of the package. Compiles with solc-js from the `solc` npm
// package (no compiler download is possible here) and gives protocol/ledger its in-process
// EDR network.
import { createRequire } from 'node:module'
import { defineConfig } from 'hardhat/config'

const require = createRequire(import.meta.url)

export default defineConfig({
  solidity: {
    version: require('solc/package.json').version,
    path: require.resolve('solc/soljson.js'),
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: 'cancun' },
  },
  paths: { sources: './contracts' },
})
