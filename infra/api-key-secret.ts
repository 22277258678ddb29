import { RemovalPolicy, Validations } from "aws-cdk-lib";
import { CfnSecret } from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";

export interface ApiKeySecretProps {
  /** Complete ARN of an existing secret holding the Vitable API key; without it an empty secret is created. */
  existingSecretArn: string | undefined;
}

/** Where the Vitable Connect API key lives. Only its ARN reaches the function; the key never enters the template. */
export class ApiKeySecret extends Construct {
  readonly secretArn: string;

  constructor(scope: Construct, id: string, props: ApiKeySecretProps) {
    super(scope, id);
    if (props.existingSecretArn) {
      this.secretArn = props.existingSecretArn;
      return;
    }
    // No SecretString and no GenerateSecretString: the secret starts empty, so the function fails loudly until a
    // deployer stores the real key, instead of calling Vitable with a random one.
    const secret = new CfnSecret(this, "Secret", {
      description:
        "Vitable Connect API key (vit_apk_...) used by vitable-group-sync. Set it with put-secret-value.",
    });
    // The key is issued by Vitable staff; keep it when the stack is torn down.
    secret.applyRemovalPolicy(RemovalPolicy.RETAIN);
    Validations.of(secret).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "Vitable issues API keys by hand and offers no API to mint them, so a rotation Lambda has nothing to " +
        "call; rotation is a manual put-secret-value with a new key from Vitable.",
    });
    this.secretArn = secret.ref;
  }
}
