import { CODE } from '../contract/business-codes.js';
import { createEnvelope, type Envelope } from './envelope.js';
import type { EmulatorState } from './state.js';
import type { Task, TaskStatus } from './tasks.js';

// The wire form of a task (bach-api.md Part 1): the create answer and the query answer. Times are
// Unix seconds. `video_url` only when TASK_SUCCEEDED, `message` only when TASK_FAILED. The query
// keeps returning the same video_url after it expired (like a presigned URL stored with the task).
//
// [decided] Every task answer also carries `task_id` and `status` at the top level, beside the
// envelope: the seed's sample code reads `result.get("status")` from the whole answer, the documented
// clients read `data.status`; with both, both work.

export interface CreateTaskData {
  task_id: string;
  status: 'TASK_PENDING';
  created_at: number;
}

export interface TaskData {
  task_id: string;
  status: TaskStatus;
  created_at: number;
  updated_at: number;
  video_url?: string;
  message?: string;
}

export function createCreateTaskData(task: Task): CreateTaskData {
  return { task_id: task.id, status: 'TASK_PENDING', created_at: toUnixSeconds(task.createdAt) };
}

export function createTaskData(state: Pick<EmulatorState, 'resultUrl'>, task: Task): TaskData {
  const data: TaskData = {
    task_id: task.id,
    status: task.status,
    created_at: toUnixSeconds(task.createdAt),
    updated_at: toUnixSeconds(task.updatedAt),
  };
  if (task.status === 'TASK_SUCCEEDED') data.video_url = state.resultUrl(task);
  if (task.status === 'TASK_FAILED') data.message = task.message ?? 'Video generation failed.';
  return data;
}

export type TaskEnvelope = Envelope & { task_id: string; status: TaskStatus };

/** The success envelope of a task answer, with `task_id` and `status` repeated at the top level. */
export function createTaskEnvelope(data: CreateTaskData | TaskData): TaskEnvelope {
  return { ...createEnvelope(CODE.success, data), task_id: data.task_id, status: data.status };
}

function toUnixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
