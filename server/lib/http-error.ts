// An error that carries its HTTP status; the app's error handler turns it into the one error body.
import { STATUS_CODES } from 'node:http';

export class HttpError extends Error {
  constructor(readonly statusCode: number, message: string, readonly code?: string) {
    super(message);
    this.name = STATUS_CODES[statusCode] ?? 'Error';
  }
}
