/**
 * The canonical form the API server stores a `resource.Quantity` in (apimachinery's
 * `Quantity.String()`): `0.5` → `500m`, `1024Mi` → `1Gi`, `1.5Gi` → `1536Mi`, `1000` → `1k`.
 *
 * A renderer that copies an admin's quantity into a built-in object must send this form: otherwise the
 * object the server stores never equals the rendered one, and every pass re-applies it (issue #19).
 * Input the function does not understand is returned unchanged (the server then decides). `milli`: the
 * server also rounds the quantities of a container's `resources` up to a thousandth (`0.1m` → `1m`).
 */
export function canonicalQuantity(input: string | number, opts: { precision?: 'nano' | 'milli' } = {}): string {
  const text = String(input).trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([numkMGTPE])|([eE])([+-]?\d+))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return text;
  const [, sign = '', whole = '', frac = '', binary, si, e10, exp] = m;
  const negative = sign === '-';
  let mantissa = BigInt(`${whole}${frac}` || '0');
  let exp10 = -frac.length;
  if (binary !== undefined) {
    mantissa *= 1024n ** BigInt(binaryPowers.indexOf(binary) + 1);
    const asInteger = exactInteger(mantissa, exp10);
    // Whole bytes of at least 1Ki keep a binary suffix; anything else is shown in decimal, as upstream.
    if (asInteger !== undefined && asInteger >= 1024n) return (negative ? '-' : '') + binaryForm(asInteger);
  } else if (si !== undefined) {
    exp10 += siExponents[si] ?? 0;
  } else if (exp !== undefined) {
    exp10 += Number(exp);
  }
  if (mantissa === 0n) return '0';
  [mantissa, exp10] = roundUp(mantissa, exp10, opts.precision === 'milli' ? -3 : -9);
  const [digits, e] = decimalForm(mantissa, exp10, exp !== undefined ? Infinity : 18);
  const suffix = exp !== undefined ? (e === 0 ? '' : `${e10}${e}`) : (siSuffixes[e] ?? '');
  return `${negative ? '-' : ''}${digits}${suffix}`;
}

const binaryPowers = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const siExponents: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const siSuffixes: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };

function exactInteger(mantissa: bigint, exp10: number): bigint | undefined {
  const scale = 10n ** BigInt(-exp10);
  return mantissa % scale === 0n ? mantissa / scale : undefined;
}

function binaryForm(value: bigint): string {
  let power = 0;
  while (power < binaryPowers.length && value % 1024n === 0n) {
    value /= 1024n;
    power++;
  }
  return `${value}${power === 0 ? '' : binaryPowers[power - 1]}`;
}

/** Below the precision the server rounds up (away from zero): `0.1n` is `1n`. */
function roundUp(mantissa: bigint, exp10: number, minExp: number): [bigint, number] {
  if (exp10 >= minExp) return [mantissa, exp10];
  const scale = 10n ** BigInt(minExp - exp10);
  return [(mantissa + scale - 1n) / scale, minExp];
}

/** The integer mantissa with the largest exponent that is a multiple of 3 (a suffix: at most 18, `E`). */
function decimalForm(mantissa: bigint, exp10: number, maxExp: number): [string, number] {
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exp10++;
  }
  const down = ((exp10 % 3) + 3) % 3;
  mantissa *= 10n ** BigInt(down);
  exp10 -= down;
  if (exp10 > maxExp) {
    mantissa *= 10n ** BigInt(exp10 - maxExp);
    exp10 = maxExp;
  }
  return [mantissa.toString(), exp10];
}

type ResourceList = Record<string, string | number>;

/**
 * A container's `resources` with every quantity of `requests` and `limits` in the form the server stores
 * (milli precision); other fields (`claims`) as they are.
 */
export function canonicalResources<T extends { requests?: ResourceList; limits?: ResourceList }>(resources: T): T {
  const list = (l: ResourceList) => Object.fromEntries(Object.entries(l).map(([k, v]) => [k, canonicalQuantity(v, { precision: 'milli' })]));
  return {
    ...resources,
    ...(resources.requests ? { requests: list(resources.requests) } : {}),
    ...(resources.limits ? { limits: list(resources.limits) } : {}),
  };
}
