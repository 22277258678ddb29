import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

export interface SyncQueuesProps {
  /** Deliveries of one message before SQS moves it to the dead-letter queue. */
  maxReceiveCount: number;
  /** Timeout of the consuming function; the source queue hides a received message for six times as long. */
  consumerTimeout: Duration;
}

/** AWS's guidance for SQS event sources: visibility timeout at least six times the function timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** The FIFO source queue of HR events and the FIFO dead-letter queue it redrives to. */
export class SyncQueues extends Construct {
  readonly source: Queue;
  readonly deadLetter: Queue;
  readonly maxReceiveCount: number;

  constructor(scope: Construct, id: string, props: SyncQueuesProps) {
    super(scope, id);
    this.maxReceiveCount = props.maxReceiveCount;

    this.deadLetter = new Queue(this, "DeadLetter", {
      fifo: true,
      // The function sends failures here itself, always with an explicit deduplication id.
      contentBasedDeduplication: false,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // Failed events must survive a teardown so that they can still be replayed.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.deadLetter).acknowledge({
      id: "Serverless-SQSRedrivePolicy",
      reason: "This is the terminal dead-letter queue: messages rest here for inspection and replay.",
    });

    this.source = new Queue(this, "Source", {
      fifo: true,
      // The producer's event id is the deduplication id; two distinct events may carry identical bodies.
      contentBasedDeduplication: false,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
      deadLetterQueue: { queue: this.deadLetter, maxReceiveCount: props.maxReceiveCount },
    });
  }
}
