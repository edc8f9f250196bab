import { bootstrapService } from '@ferry/platform';
import { SlicerModule } from './slicer.module';

void bootstrapService('slicer', SlicerModule);
