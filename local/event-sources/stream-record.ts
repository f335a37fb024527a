import type { _Record as StreamRecord, AttributeValue } from '@aws-sdk/client-dynamodb-streams';

/** One record of Lambda's DynamoDB stream event (`event.Records[i]`). */
export interface LambdaStreamRecord {
  eventID: string;
  eventName: string;
  eventVersion: string;
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Record<string, unknown>;
    NewImage?: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: string;
  };
  eventSourceARN: string;
  userIdentity?: { type: string; principalId: string };
}

/**
 * The record as Lambda passes it to the function: the stream record in its JSON form (binary
 * values base64, the creation time in epoch seconds), with the region and stream ARN of the
 * template — not DynamoDB Local's `ddblocal` region and stream label.
 */
export function lambdaStreamRecord(record: StreamRecord, region: string, eventSourceArn: string): LambdaStreamRecord {
  const d = record.dynamodb!;
  return {
    eventID: record.eventID!,
    eventName: record.eventName!,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor((d.ApproximateCreationDateTime?.getTime() ?? Date.now()) / 1000),
      Keys: itemJson(d.Keys ?? {}),
      ...(d.NewImage && { NewImage: itemJson(d.NewImage) }),
      ...(d.OldImage && { OldImage: itemJson(d.OldImage) }),
      SequenceNumber: d.SequenceNumber!,
      SizeBytes: d.SizeBytes ?? 0,
      StreamViewType: d.StreamViewType!,
    },
    eventSourceARN: eventSourceArn,
    ...(record.userIdentity && { userIdentity: { type: record.userIdentity.Type!, principalId: record.userIdentity.PrincipalId! } }),
  };
}

function itemJson(item: Record<string, AttributeValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, valueJson(value)]));
}

/** An attribute value in DynamoDB's JSON wire form (what the SDK parsed, turned back). */
function valueJson(value: AttributeValue): unknown {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.M !== undefined) return { M: itemJson(value.M) };
  if (value.L !== undefined) return { L: value.L.map(valueJson) };
  const { $unknown: _unknown, ...rest } = value as AttributeValue & { $unknown?: unknown };
  // DynamoDB Local 3.x writes an empty map into stream records as `{}` (a reported regression,
  // awslabs/amazon-dynamodb-local-samples#37); AWS writes `{"M":{}}`, which handlers unmarshall.
  if (Object.keys(rest).length === 0) return { M: {} };
  return rest;
}

/** Stream sequence numbers are decimal strings of varying length: compare them as integers. */
export function compareSequence(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
