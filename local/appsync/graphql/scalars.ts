import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/**
 * AWS AppSync's scalars. AppSync validates them on input and output; these checks follow
 * the formats AppSync documents (ISO 8601 extended forms, RFC 3339 offsets, ...).
 * The exact wording of AppSync's own validation messages is UNVERIFIED here.
 */

const DATE = /^\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2}(:\d{2})?)?$/;
const TIME = /^\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}(:\d{2})?)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}(:\d{2})?)$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s().-]{3,}$/;

function stringScalar(name: string, valid: (s: string) => boolean, description: string): GraphQLScalarType {
  const check = (value: unknown): string => {
    if (typeof value !== 'string' || !valid(value)) {
      throw new GraphQLError(`Value ${JSON.stringify(value)} is not a valid '${name}' (${description})`);
    }
    return value;
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize: check,
    parseValue: check,
    parseLiteral: (ast: ValueNode) => {
      if (ast.kind !== Kind.STRING) throw new GraphQLError(`Expected a string literal for '${name}' (${description})`);
      return check(ast.value);
    },
  });
}

function isUrl(s: string): boolean {
  try {
    return new URL(s).protocol.length > 1;
  } catch {
    return false;
  }
}

function isIpAddress(s: string): boolean {
  const [address, prefix] = s.split('/');
  const v4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(address ?? '');
  const v6 = !v4 && /^[0-9a-fA-F:]+$/.test(address ?? '') && (address ?? '').includes(':');
  return (v4 || v6) && (prefix === undefined || /^\d{1,3}$/.test(prefix));
}

function validDate(s: string): boolean {
  return DATE.test(s) && !Number.isNaN(Date.parse(s.slice(0, 10)));
}

function validDateTime(s: string): boolean {
  return DATE_TIME.test(s) && !Number.isNaN(Date.parse(s));
}

/** AWSJSON travels as a JSON string in both directions; a resolver may return any value. */
function parseJsonString(value: unknown): string {
  if (typeof value !== 'string') throw new GraphQLError(`Value ${JSON.stringify(value)} is not a valid 'AWSJSON': expected a string holding JSON`);
  try {
    JSON.parse(value);
  } catch {
    throw new GraphQLError(`Value ${JSON.stringify(value)} is not a valid 'AWSJSON': it does not parse as JSON`);
  }
  return value;
}

const awsJson = new GraphQLScalarType<unknown, string>({
  name: 'AWSJSON',
  description: 'A JSON value, serialized as a string',
  serialize: (value) => (typeof value === 'string' ? value : JSON.stringify(value)),
  parseValue: parseJsonString,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError(`Expected a string literal holding JSON for 'AWSJSON'`);
    return parseJsonString(ast.value);
  },
});

function wholeSeconds(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new GraphQLError(`Value ${JSON.stringify(value)} is not a valid 'AWSTimestamp' (whole seconds)`);
  return value;
}

const awsTimestamp = new GraphQLScalarType<number, number>({
  name: 'AWSTimestamp',
  description: 'Seconds since 1970-01-01T00:00Z',
  serialize: wholeSeconds,
  parseValue: wholeSeconds,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.INT) throw new GraphQLError(`Expected an integer literal for 'AWSTimestamp'`);
    return Number(ast.value);
  },
});

export const appSyncScalars: GraphQLScalarType[] = [
  stringScalar('AWSDate', validDate, 'YYYY-MM-DD, optionally with a time zone offset'),
  stringScalar('AWSTime', (s) => TIME.test(s), 'hh:mm:ss.sss, optionally with a time zone offset'),
  stringScalar('AWSDateTime', validDateTime, 'YYYY-MM-DDThh:mm:ss.sssZ or with an offset'),
  awsTimestamp,
  stringScalar('AWSEmail', (s) => EMAIL.test(s), 'an email address as RFC 822 defines it'),
  awsJson,
  stringScalar('AWSURL', isUrl, 'a URL with a scheme'),
  stringScalar('AWSPhone', (s) => PHONE.test(s), 'a phone number'),
  stringScalar('AWSIPAddress', isIpAddress, 'an IPv4 or IPv6 address, optionally with a CIDR prefix'),
];
