import { createBatchData } from './batches.js';
import { ApiFailure, sendEnvelope } from './envelope.js';
import { applyFaults, type Exchange } from './exchange.js';
import { CODE } from '../contract/business-codes.js';

// GET /batch-upload/status/{batch_id}: the batch's data; an unknown, expired or foreign id (and an
// empty one: the contract has no "Batch Id is required" message) is 404/1203.

export async function handleBatchStatus(exchange: Exchange): Promise<void> {
  const { state } = exchange;
  const batchId = exchange.params.batchId ?? '';
  const batch = batchId === '' ? undefined : state.batches.find(batchId, exchange.accessKey);
  const requestKey = batch ? `GET batch-status batch:${batch.faultKey}` : `GET ${exchange.url.pathname}`;
  if (!(await applyFaults(exchange, requestKey, { create: false, cdn: false }))) return;
  if (!batch) throw new ApiFailure(CODE.batchNotFound);
  sendEnvelope(exchange.res, CODE.success, createBatchData(batch));
}
