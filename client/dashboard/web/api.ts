/** Reading the dashboard's JSON API: each call gives the data, or the problem to show. */
import type { ChainProblem } from '../api-types.ts'

export type Loaded<T> =
  | { data: T; problem?: undefined }
  | { data?: undefined; problem: ChainProblem }

export async function load<T>(path: string): Promise<Loaded<T>> {
  let response: Response
  try {
    response = await fetch(path)
  } catch (err) {
    return {
      problem: {
        code: 'chain-error',
        message: `The dashboard server does not answer (${(err as Error).message}); is "sealnet audit serve" still running?`,
      },
    }
  }
  const body = (await response.json().catch(() => undefined)) as
    | (T & { problem?: ChainProblem })
    | undefined
  if (body === undefined)
    return {
      problem: { code: 'chain-error', message: `${path} answered ${response.status} without JSON` },
    }
  if (!response.ok && body.problem) return { problem: body.problem }
  return { data: body }
}
