import { bootstrapService } from '@ferry/platform';
import { CollectorModule } from './collector.module';

void bootstrapService('collector', CollectorModule);
