import { describe, expect, it } from 'vitest';
import { apiErrors, describeError, versionConflict } from '../../../web/src/graphql/errors.ts';

// What the page shows for each way Amplify v6 rejects, in the shapes Amplify builds them
// (node_modules/@aws-amplify/api-graphql: InternalGraphQLAPI, createGraphQLResultWithError;
// api-rest: parseRestApiServiceError) around AppSync's error format.

describe('apiErrors', () => {
  it("reads AppSync's errors from a GraphQL response, which Amplify throws as it is", () => {
    const response = {
      data: { setMargin: null },
      errors: [{ path: ['setMargin'], data: null, errorType: 'Unauthorized', errorInfo: null, locations: [{ line: 2, column: 3 }], message: 'Not Authorized to access setMargin on type Mutation' }],
    };
    const errors = apiErrors(response);
    expect(errors.map(describeError)).toEqual(['Unauthorized: Not Authorized to access setMargin on type Mutation']);
    expect(versionConflict(errors)).toBeUndefined();
  });

  it('finds a version conflict with the current version in errorInfo, or else in the data', () => {
    const conflict = {
      errorType: 'DynamoDB:ConditionalCheckFailedException',
      message: 'Mutation.setMargin: market m1 is at version 9, not expectedVersion 8; read it again and retry',
    };
    expect(versionConflict(apiErrors({ errors: [{ ...conflict, data: { id: 'm1', version: 9 }, errorInfo: { field: 'expectedVersion', expectedVersion: 8, currentVersion: 9 } }] }))).toEqual({
      currentVersion: 9,
      expectedVersion: 8,
      message: conflict.message,
    });
    expect(versionConflict(apiErrors({ errors: [{ ...conflict, data: { id: 'm1', version: 9 }, errorInfo: null }] }))).toEqual({ currentVersion: 9, expectedVersion: null, message: conflict.message });
    // Without a version to retry at, it is an error like any other.
    expect(versionConflict(apiErrors({ errors: [{ ...conflict, data: null, errorInfo: null }] }))).toBeUndefined();
  });

  it("unpacks a subscription failure: Amplify's 'Connection failed: ' + the error frame's payload", () => {
    const payload = { errors: [{ errorType: 'UnauthorizedException', message: 'Permission denied' }] };
    expect(apiErrors({ errors: [{ message: `Connection failed: ${JSON.stringify(payload)}` }] }).map(describeError)).toEqual(['UnauthorizedException: Permission denied']);
    expect(apiErrors({ errors: [{ message: 'Connection failed: Connection handshake error' }] }).map(describeError)).toEqual(['Connection failed: Connection handshake error']);
  });

  it("reads an HTTP refusal from the REST error's body; without one, its name and message", () => {
    const body = JSON.stringify({ errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] });
    const restError = Object.assign(new Error('Unknown error'), { name: 'UnauthorizedException', response: { statusCode: 401, headers: {}, body } });
    expect(apiErrors({ data: {}, errors: [{ message: 'Unknown error', originalError: restError }] }).map(describeError)).toEqual(['UnauthorizedException: You are not authorized to make this call.']);
    const networkError = Object.assign(new Error('Failed to fetch'), { name: 'NetworkError' });
    expect(apiErrors({ data: {}, errors: [{ message: 'Failed to fetch', originalError: networkError }] }).map(describeError)).toEqual(['NetworkError: Failed to fetch']);
  });

  it("names other errors by their class (Cognito's exceptions), and plain ones by their message", () => {
    const authError = Object.assign(new Error('Incorrect username or password.'), { name: 'NotAuthorizedException' });
    expect(apiErrors(authError).map(describeError)).toEqual(['NotAuthorizedException: Incorrect username or password.']);
    expect(apiErrors(new Error('the API returned no market m1')).map(describeError)).toEqual(['the API returned no market m1']);
    expect(apiErrors('offline').map(describeError)).toEqual(['offline']);
  });
});
