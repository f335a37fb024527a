// util.math (NPM-U math-utils.d.ts; semantics from the VTL page D-MATH-VTL).
import { argumentError, requireNumber } from './arguments.ts';

export function createMathUtils(random: () => number = Math.random) {
  return {
    /** Nearest integer, halves rounded up (Java Math.round). */
    roundNum: (n: unknown) => Math.round(requireNumber('util.math.roundNum', n)),
    minVal: (a: unknown, b: unknown) => Math.min(requireNumber('util.math.minVal', a, 'the first value'), requireNumber('util.math.minVal', b, 'the second value')),
    maxVal: (a: unknown, b: unknown) => Math.max(requireNumber('util.math.maxVal', a, 'the first value'), requireNumber('util.math.maxVal', b, 'the second value')),
    /** In [0, 1). */
    randomDouble: () => random(),
    /** An integer in [start, end], both ends included. UNVERIFIED whether `end` is included. */
    randomWithinRange: (start: unknown, end: unknown) => {
      const lo = Math.ceil(requireNumber('util.math.randomWithinRange', start, 'the start'));
      const hi = Math.floor(requireNumber('util.math.randomWithinRange', end, 'the end'));
      if (hi < lo) throw argumentError('util.math.randomWithinRange', `the end (${String(end)}) is below the start (${String(start)})`);
      return lo + Math.floor(random() * (hi - lo + 1));
    },
  };
}
