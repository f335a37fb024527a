// util.str (D-STR): the only JS member is normalize; VTL's toUpper etc. do not exist in JS.
import { argumentError, requireString } from './arguments.ts';

const FORMS: Record<string, 'NFC' | 'NFD' | 'NFKC' | 'NFKD'> = { nfc: 'NFC', nfd: 'NFD', nfkc: 'NFKC', nfkd: 'NFKD' };

export function createStringUtils() {
  return {
    normalize: (value: unknown, form: unknown) => {
      const s = requireString('util.str.normalize', value, 'the string');
      const f = typeof form === 'string' ? FORMS[form.toLowerCase()] : undefined;
      if (!f) throw argumentError('util.str.normalize', `the normalization type must be "nfc", "nfd", "nfkc" or "nfkd", not ${JSON.stringify(form)}`);
      return s.normalize(f);
    },
  };
}
