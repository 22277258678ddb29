import { RemovalPolicy, Validations } from "aws-cdk-lib";
import { CfnSecret } from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";

export interface WebhookSecretProps {
  /** Complete ARN of an existing secret in the webhook format; without it a secret is generated. */
  existingSecretArn: string | undefined;
}

/**
 * The HMAC signing secret shared with the HR system, as JSON `{ "current": "...", "previous": "..." }`.
 * Secrets Manager generates the first `current` at deploy time, so the value never enters the template.
 */
export class WebhookSecret extends Construct {
  readonly secretArn: string;

  constructor(scope: Construct, id: string, props: WebhookSecretProps) {
    super(scope, id);
    if (props.existingSecretArn) {
      this.secretArn = props.existingSecretArn;
      return;
    }
    const secret = new CfnSecret(this, "Secret", {
      description:
        'HMAC-SHA256 signing secret of the vitable-group-sync webhook, as {"current":"...","previous":"..."}.',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ previous: "" }),
        generateStringKey: "current",
        passwordLength: 64,
        // Letters and digits only, so the secret pastes into any HR system's settings and shell unquoted.
        excludePunctuation: true,
      },
    });
    // The HR system holds a copy; a teardown must not silently invalidate every webhook it sends.
    secret.applyRemovalPolicy(RemovalPolicy.RETAIN);
    Validations.of(secret).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "The secret is shared with an external HR system, so a rotation must be coordinated with that system: " +
        "the documented procedure moves the old value to `previous` and sets a new `current` by hand.",
    });
    this.secretArn = secret.ref;
  }
}
