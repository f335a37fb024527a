import { describe, expect, it } from 'vitest';
import { resolveIntrinsics, type IntrinsicScope } from '../../../local/assembly/intrinsics.ts';

const scope: IntrinsicScope = {
  ref: (name) => ({ 'AWS::Region': 'eu-west-1', 'AWS::AccountId': '123456789012', Table: 'prices' })[name] ?? `ref:${name}`,
  getAtt: (id, attr) => `${id}.${attr}`,
  conditions: { IsProd: { 'Fn::Equals': ['prod', 'dev'] }, IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] } },
  mappings: { Sizes: { small: { memory: 128 } } },
};

const resolve = (value: unknown) => resolveIntrinsics(value, scope, 'Test');

describe('resolveIntrinsics', () => {
  it('resolves Ref and Fn::GetAtt in both forms', () => {
    expect(resolve({ Ref: 'Table' })).toBe('prices');
    expect(resolve({ 'Fn::GetAtt': ['Api', 'GraphQLUrl'] })).toBe('Api.GraphQLUrl');
    expect(resolve({ 'Fn::GetAtt': 'Api.ApiId' })).toBe('Api.ApiId');
  });

  it('joins, splits and selects', () => {
    expect(resolve({ 'Fn::Join': ['/', ['a', { Ref: 'Table' }, 'b']] })).toBe('a/prices/b');
    expect(resolve({ 'Fn::Select': [1, { 'Fn::Split': [',', 'x,y,z'] }] })).toBe('y');
  });

  it('substitutes refs, attributes, variables and escaped literals in Fn::Sub', () => {
    expect(resolve({ 'Fn::Sub': 'arn:aws:s3:::${Table}-${AWS::Region}-${Api.ApiId}-${!Literal}' })).toBe('arn:aws:s3:::prices-eu-west-1-Api.ApiId-${Literal}');
    expect(resolve({ 'Fn::Sub': ['${Greeting}, ${AWS::AccountId}', { Greeting: { Ref: 'Table' } }] })).toBe('prices, 123456789012');
  });

  it('evaluates conditions and removes AWS::NoValue from objects and lists', () => {
    expect(resolve({ 'Fn::If': ['IsDev', 'dev-value', 'prod-value'] })).toBe('dev-value');
    expect(resolve({ a: { 'Fn::If': ['IsProd', 1, { Ref: 'AWS::NoValue' }] }, b: 2 })).toEqual({ b: 2 });
    expect(resolve(['x', { Ref: 'AWS::NoValue' }, 'y'])).toEqual(['x', 'y']);
  });

  it('reads mappings and encodes base64', () => {
    expect(resolve({ 'Fn::FindInMap': ['Sizes', 'small', 'memory'] })).toBe(128);
    expect(resolve({ 'Fn::Base64': 'hi' })).toBe('aGk=');
  });

  it('names an unsupported intrinsic and where it stands', () => {
    expect(() => resolve({ nested: { 'Fn::ImportValue': 'SharedVpc' } })).toThrow('Test.nested.Fn::ImportValue: the intrinsic function Fn::ImportValue is not supported');
  });

  it('names an index out of range', () => {
    expect(() => resolve({ 'Fn::Select': [5, ['a']] })).toThrow('index 5 is outside the list of 1');
  });
});
