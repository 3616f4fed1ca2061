/** The SARIF 2.1.0 schema that GitHub code scanning and @microsoft/jest-sarif use, as an ajv validator. */
import Ajv from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import { REPO } from '../helpers';

/** The schema is draft-04 (written with `id`); ajv speaks draft-07, which reads it once `id` is `$id`. */
export function sarifValidator() {
  const schemaFile = path.join(REPO, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
  const { $schema: _draft, id, ...schema } = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
  // One of its patterns (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`) is not valid with the u flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///base/') && !/[\s\\]/.test(s));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile({ $id: id, ...schema });
}

