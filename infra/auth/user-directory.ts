import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccountRecovery, CfnUserPoolGroup, Mfa, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface UserDirectoryProps {
  /** Cognito groups; the API's directives and resolvers name `traders` and `admins`. */
  groups?: { name: string; description: string }[];
}

const DEFAULT_GROUPS = [
  { name: 'traders', description: 'Set margins and market status; start and cancel their jobs' },
  { name: 'admins', description: 'See and cancel every job' },
];

/**
 * The Cognito user pool of the API's default auth mode: username sign-in, users created by an
 * administrator only, an app client for USER_PASSWORD_AUTH (scripts, tests) and SRP (Amplify's
 * default), and the groups as CfnUserPoolGroup.
 */
export class UserDirectory extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly groups: CfnUserPoolGroup[];

  constructor(scope: Construct, id: string, props: UserDirectoryProps = {}) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      signInAliases: { username: true },
      selfSignUpEnabled: false,
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.NONE,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.client = this.userPool.addClient('WebClient', {
      authFlows: { userPassword: true, userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
    });
    this.groups = (props.groups ?? DEFAULT_GROUPS).map(
      (group) => new CfnUserPoolGroup(this, `${group.name[0]!.toUpperCase()}${group.name.slice(1)}Group`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group.name,
        description: group.description,
      }),
    );
  }
}
