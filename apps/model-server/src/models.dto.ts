import { createZodDto } from 'nestjs-zod';
import { batchPredictRequestSchema, loadModelRequestSchema, predictRequestSchema } from '@lemo/domain';

export class PredictRequestDto extends createZodDto(predictRequestSchema) {}
export class BatchPredictRequestDto extends createZodDto(batchPredictRequestSchema) {}
export class LoadModelRequestDto extends createZodDto(loadModelRequestSchema) {}
