export { EmailPreview, type EmailPreviewProps } from "./email-preview";
export { SmsPreview, PushPreview } from "./text-preview";
export {
  EmailFrame,
  InboxHeader,
  PlainText,
  DeviceToggle,
  ViewToggle,
  type Device,
  type EmailView,
} from "./email-frame";
export { PhoneFrame, SmsBubble, PushNotification, segmentLabel } from "./phone";
