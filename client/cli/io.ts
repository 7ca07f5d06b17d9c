/**
 * What every command shares: where state lives, how a password is read (file, env var,
 * or a prompt without echo), how results and errors are printed, and exit codes.
 *
 * Exit codes: 0 success; 1 a Sealnet error (typed: wrong password, tampered data, unknown
 * identity …); 2 a usage error (bad option, missing argument); 3 an unexpected failure.
 * @module
 */

import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { SealnetError } from '../../protocol/sealnet-error.ts'

export const EXIT_OK = 0
export const EXIT_SEALNET_ERROR = 1
export const EXIT_USAGE = 2
export const EXIT_UNEXPECTED = 3

/** Errors of ours carry a class name ending in "Error" other than the built-in ones. */
const BUILTIN_ERRORS = new Set([
  'Error',
  'TypeError',
  'RangeError',
  'SyntaxError',
  'ReferenceError',
])

export class UsageError extends SealnetError {
  readonly code = 'usage'
}

export interface GlobalOptions {
  home?: string
  json?: boolean
  rpc?: string
  deployment?: string
}

/** The state folder: --home, else $SEALNET_HOME, else ~/.sealnet. */
export function sealnetHome(options: GlobalOptions): string {
  return options.home ?? process.env.SEALNET_HOME ?? join(homedir(), '.sealnet')
}

/** Reads a password without echoing it, from the terminal. */
async function promptHidden(question: string, source: SecretSource): Promise<string> {
  const { stdin, stderr } = process
  if (!stdin.isTTY) {
    throw new UsageError(
      `no ${source.label} given: use ${source.flag} FILE or set ${source.env} (no terminal to prompt on)`,
    )
  }
  stderr.write(question)
  stdin.setRawMode(true)
  stdin.resume()
  let answer = ''
  try {
    for await (const chunk of stdin) {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return answer
        if (ch === '\u0003') throw new UsageError('cancelled')
        if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1)
        else answer += ch
      }
    }
    return answer
  } finally {
    stdin.setRawMode(false)
    stdin.pause()
    stderr.write('\n')
  }
}

/**
 * The first line of a secret-holding file, without its line ending (so `echo secret > f`
 * works). Throws UsageError, naming `what`, when that line is empty.
 */
export async function readFirstLine(path: string, what: string): Promise<string> {
  const line = (await readFile(path, 'utf8')).split(/\r?\n/)[0] ?? ''
  if (line === '') throw new UsageError(`${what} file ${path} is empty`)
  return line
}

/**
 * The password from --password-file (first line), else $SEALNET_PASSWORD, else a prompt.
 * With `confirm`, a prompted password is asked twice.
 */
export function readPassword(options: { passwordFile?: string }, confirm = false): Promise<string> {
  return readSecret(
    {
      file: options.passwordFile,
      flag: '--password-file',
      env: 'SEALNET_PASSWORD',
      label: 'master password',
    },
    confirm,
  )
}

export interface SecretSource {
  /** The file named by `flag`, if given. */
  file?: string
  flag: string
  env: string
  /** What it is, in messages and the prompt: "master password", "node secret". */
  label: string
}

/**
 * Secrets taken from the environment: removed from `process.env` as soon as they are read,
 * so no child process, log line or crash report inherits them, and kept here for a second
 * read in the same command.
 */
const fromEnvironment = new Map<string, string>()

/** A secret from a file (first line), else an environment variable, else a hidden prompt. */
export async function readSecret(source: SecretSource, confirm = false): Promise<string> {
  if (source.file !== undefined) return readFirstLine(source.file, source.label)
  const fromEnv = fromEnvironment.get(source.env) ?? process.env[source.env]
  delete process.env[source.env]
  if (fromEnv !== undefined && fromEnv !== '') {
    fromEnvironment.set(source.env, fromEnv)
    return fromEnv
  }
  const prompt = `${source.label[0]!.toUpperCase()}${source.label.slice(1)}`
  const secret = await promptHidden(`${prompt}: `, source)
  if (secret === '') throw new UsageError(`the ${source.label} must not be empty`)
  if (confirm && (await promptHidden(`Repeat the ${source.label}: `, source)) !== secret) {
    throw new UsageError(`the two ${source.label}s differ; nothing was written`)
  }
  return secret
}

/** Prints a result: JSON with --json, else the human lines. */
export function print(options: GlobalOptions, result: unknown, human: string[]): void {
  process.stdout.write(
    options.json ? `${JSON.stringify(result, null, 2)}\n` : `${human.join('\n')}\n`,
  )
}

/** Maps a thrown error to a message on stderr and an exit code. */
export function exitCodeFor(err: unknown): number {
  const error = err instanceof Error ? err : new Error(String(err))
  if (error.name === UsageError.name) {
    process.stderr.write(`sealnet: ${error.message}\n`)
    return EXIT_USAGE
  }
  if (!BUILTIN_ERRORS.has(error.name) && error.name.endsWith('Error')) {
    process.stderr.write(`sealnet: ${error.message} [${error.name}]\n`)
    return EXIT_SEALNET_ERROR
  }
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT' || code === 'EACCES') {
    process.stderr.write(`sealnet: ${error.message}\n`)
    return EXIT_SEALNET_ERROR
  }
  process.stderr.write(`sealnet: unexpected failure: ${error.stack ?? error.message}\n`)
  return EXIT_UNEXPECTED
}

/** A 0x-prefixed 32-byte id (a job's, an action's), lower-cased; UsageError saying where it comes from. */
export function parseId32(text: string, what: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(text))
    throw new UsageError(`${what} is 0x and 64 hex digits; got ${text}`)
  return text.toLowerCase()
}
