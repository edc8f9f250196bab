import { bootstrapService } from '@ferry/platform';
import { StatusReceiverModule } from './status-receiver.module';

void bootstrapService('status-receiver', StatusReceiverModule);
