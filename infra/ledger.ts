import { RemovalPolicy } from "aws-cdk-lib";
import { AttributeType, BillingMode, Table, TableEncryption } from "aws-cdk-lib/aws-dynamodb";
import { Construct } from "constructs";
import { LEDGER_PARTITION_KEY, LEDGER_TTL_ATTRIBUTE } from "../functions/shared/ledger/ledger-table.ts";

/** The sync ledger table: watermarks, seen event ids and aliases, each item expiring through TTL. */
export class Ledger extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, "Table", {
      partitionKey: { name: LEDGER_PARTITION_KEY, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: LEDGER_TTL_ATTRIBUTE,
      encryption: TableEncryption.AWS_MANAGED,
      // Watermarks guard against applying old events; losing them on teardown would reopen that door.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
