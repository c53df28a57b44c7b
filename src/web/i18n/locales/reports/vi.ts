// Vietnamese texts of the transparency page and the desk's Indicators page; spread into vi.ts.
import type { reportsEn } from './en.ts';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export const reportsVi: Shape<typeof reportsEn> = {
  transparency: {
    title: 'Minh bạch: thực thi Công ước',
    intro:
      'Các báo cáo đã công bố của {{state}} về việc thực thi Công ước của Liên Hợp Quốc về chống tội phạm mạng: số liệu tính từ hồ sơ đã kiểm toán của nút, do nút ký.',
    privacy:
      'Không số liệu nào nêu tên một người. Số lượng dưới {{threshold}} được hiển thị là “<{{threshold}}” và yêu cầu mật chỉ được tính vào tổng, để không thể nhận ra một vụ việc riêng lẻ.',
    none: 'Chưa có báo cáo nào được công bố.',
    chartsTitle: 'Các chỉ số chính theo thời gian',
    countsChart: 'Yêu cầu',
    timesChart: 'Thời gian phản hồi trung vị',
    shareChart: 'Trả lời đúng hạn',
    unitCount: 'số lượng',
    unitHours: 'giờ',
    unitPercent: '%',
    gapNote:
      'Khoảng trống hoặc gạch ngang: ít hơn {{threshold}} trường hợp, không công bố để không thể nhận ra một vụ việc.',
    asTable: 'Số liệu dạng bảng',
    period: 'Kỳ',
    reportsTitle: 'Báo cáo đã công bố',
    releasedOn: 'Công bố ngày {{date}}',
    checkpoint: 'nhật ký kiểm toán tại {{size}} mục',
    downloads: 'Tải về báo cáo {{period}}',
    signedJson: 'Báo cáo đã ký (JSON)',
    csv: 'Bảng (CSV)',
    pdf: 'Báo cáo in được kèm biểu đồ',
    verifyTitle: 'Tự kiểm tra một báo cáo',
    verifyBody:
      'Mỗi báo cáo được nút này ký cùng với trạng thái nhật ký kiểm toán tại thời điểm đó. Hãy tải báo cáo đã ký và kiểm tra bằng dòng lệnh hanoi247, công cụ xác minh chữ ký bằng khóa công khai của nút trong danh bạ:',
    schema: 'Định dạng công bố của báo cáo (JSON Schema)',
    definitionsTitle: 'Định nghĩa từng chỉ số',
    deskLink: 'Đăng nhập vào bàn làm việc',
    publicReports: 'Báo cáo công khai về việc thực thi',
    regionalTitle: 'Tổng hợp khu vực: {{region}}',
    regionalIntro:
      'Số liệu cộng dồn từ các báo cáo đã công bố của các Quốc gia thành viên {{region}}, mỗi báo cáo được kiểm tra bằng chữ ký của nút gửi. Chỉ các tổng số này được truyền giữa các nút.',
    regionalMembers: 'Các báo cáo được tính',
    regionalBounds: 'từ {{min}} đến {{max}}',
    regionalNone: 'Chưa nhận được báo cáo nào của thành viên.',
  },
  indicatorsPage: {
    title: 'Chỉ số',
    intro:
      'Số liệu của một kỳ tại thời điểm hiện tại, tính từ các thay đổi trạng thái đã kiểm toán. Chọn một số liệu để xem các yêu cầu tạo nên nó.',
    period: 'Kỳ',
    periodHint: 'Một năm (2026), một quý (2026-Q4) hoặc một tháng (2026-11)',
    show: 'Hiển thị',
    any: 'Tất cả',
    breakdown: 'Phân loại',
    filtersNote: 'Khi lọc, các yêu cầu mật bị loại ra: chúng chỉ được tính vào tổng.',
    partial: 'Kỳ này chưa kết thúc: số liệu vẫn có thể tăng.',
    indicator: 'Chỉ số',
    group: 'Nhóm',
    value: 'Số lượng',
    median: 'Trung vị (giờ)',
    p90: 'Bách phân vị 90 (giờ)',
    share: 'Đúng hạn',
    traceButton: 'Thành phần của {{indicator}} ({{group}}): {{value}}',
    traceTitle: 'Thành phần của: {{indicator}} ({{group}})',
    traceCount: 'Đã tính: {{count}}',
    traceHidden: 'Yêu cầu mật được tính nhưng không liệt kê cho bạn: {{count}}',
    traceEmpty: 'Không có gì để liệt kê.',
    counted: 'Được tính',
    when: 'Thời điểm',
    auditEntry: 'Mục nhật ký kiểm toán',
    objectRequest: 'Yêu cầu',
    objectHubAlert: 'Cảnh báo',
    objectHubOrg: 'Tổ chức',
    objectOther: 'Bản ghi',
    chartTitle: 'Các chỉ số chính trong kỳ {{period}}',
    close: 'Đóng',
  },
};
