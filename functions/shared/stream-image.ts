import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * A stream record's NewImage/OldImage as a plain object.
 *
 * DynamoDB Local 3.x writes an empty map attribute into its stream records as `{}` instead of
 * `{"M":{}}` (seen here in GetRecords' raw HTTP body, while GetItem returns `{"M":{}}`;
 * reported as a 3.x regression in awslabs/amazon-dynamodb-local-samples#37), which
 * util-dynamodb's unmarshall refuses ("No value defined: {}"). DynamoDB Streams in AWS keeps
 * the `{"M":{}}` form (per that report; UNVERIFIED here). Reading `{}` as an empty map accepts
 * both. (The same report says empty lists lose their `L`; the DynamoDB Local in this repo keeps
 * `{"L":[]}`, and the functions never store an empty list.)
 */
export function unmarshallImage(image: Record<string, AttributeValue>): Record<string, any> {
  return unmarshall(Object.fromEntries(Object.entries(image).map(([name, value]) => [name, repaired(value)])));
}

function repaired(value: AttributeValue): AttributeValue {
  if (typeof value !== 'object' || value === null) return value;
  if (Object.keys(value).length === 0) return { M: {} };
  if (value.M) return { M: Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, repaired(v)])) };
  if (value.L) return { L: value.L.map(repaired) };
  return value;
}
