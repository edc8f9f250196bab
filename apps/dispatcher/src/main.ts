import { bootstrapService } from '@ferry/platform';
import { DispatcherModule } from './dispatcher.module';

void bootstrapService('dispatcher', DispatcherModule);
