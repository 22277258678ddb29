import { Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { type ITopic, Subscription, SubscriptionProtocol, Topic } from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";

export interface AlarmTopicProps {
  /** Publish alarms to this existing standard topic instead of creating one. */
  existingTopicArn: string | undefined;
  /** Subscribe this address (it must confirm the subscription by e-mail). */
  email: string | undefined;
}

/** The SNS topic every alarm notifies: created encrypted and TLS-only, or imported. */
export class AlarmTopic extends Construct {
  readonly topic: ITopic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = props.existingTopicArn
      ? Topic.fromTopicArn(this, "Imported", props.existingTopicArn)
      : this.createEncryptedTopic();
    if (props.email) {
      const subscription = new Subscription(this, "Email", {
        topic: this.topic,
        protocol: SubscriptionProtocol.EMAIL,
        endpoint: props.email,
      });
      Validations.of(subscription).acknowledge({
        id: "Serverless-SNSRedrivePolicy",
        reason:
          "An undeliverable alarm e-mail loses nothing: the alarm state and its history stay in CloudWatch, " +
          "and a dead-letter queue of notifications would itself need watching.",
      });
    }
  }

  private createEncryptedTopic(): Topic {
    const stack = Stack.of(this);
    const cloudWatch = new ServicePrincipal("cloudwatch.amazonaws.com");
    // A customer managed key: CloudWatch cannot publish to a topic encrypted with the AWS managed aws/sns key.
    const key = new Key(this, "Key", {
      description: "Encrypts the vitable-group-sync alarm topic",
      enableKeyRotation: true,
      // Alarm notifications are transient; nothing encrypted with this key outlives the stack.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // Only on behalf of this account's alarms in this region (no confused deputy). The alarms' own ARNs cannot be
    // named: each alarm refers to the topic, which refers to this key, so the key policy would close a cycle.
    const ourAlarms = {
      ArnLike: {
        "aws:SourceArn": `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*`,
      },
      StringEquals: { "aws:SourceAccount": stack.account },
    };
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: "AllowCloudWatchAlarmsOfThisAccount",
        principals: [cloudWatch],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
        conditions: ourAlarms,
      }),
    );

    const topic = new Topic(this, "Topic", {
      displayName: "vitable-group-sync alarms",
      masterKey: key,
      enforceSSL: true,
    });
    // A topic policy replaces the default one, so CloudWatch alarms of this account are allowed explicitly.
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: "AllowCloudWatchAlarmsOfThisAccount",
        principals: [cloudWatch],
        actions: ["sns:Publish"],
        resources: [topic.topicArn],
        conditions: ourAlarms,
      }),
    );
    return topic;
  }
}
