import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How, to whom and by when a mediation fee is paid: one text that administrators keep up to date
 * (bank details change), shown to a reporter once they have agreed to pay their share. One row, so
 * there is never a question of which text is the current one.
 */
export class FeePaymentInstructions1764810000000 implements MigrationInterface {
  name = 'FeePaymentInstructions1764810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE fee_payment_instructions (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
        updated_by uuid REFERENCES users(id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `INSERT INTO fee_payment_instructions (body) VALUES ($1)`,
      ['We will send you an invoice by e-mail with the bank details to pay into. Pay by bank transfer and use your case reference as the payment reference.'],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS fee_payment_instructions`);
  }
}
