"""The demo cases' vocabulary: places, names, matters, and the weights of types, channels and endings."""

from complaints.models.choices import CaseStatus, CaseType, Channel, Closure, Finding

REGION = {"laizhou": "370683", "zhaoyuan": "370685"}
TOWNS = {
    "laizhou": ["文昌路街道", "城港路街道", "沙河镇", "朱桥镇", "金城镇", "夏邱镇"],
    "zhaoyuan": ["温泉街道", "罗峰街道", "玲珑镇", "金岭镇", "张星镇", "蚕庄镇"],
}
CITY = {"laizhou": "莱州", "zhaoyuan": "招远"}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰建国海燕文博晓东志强春梅红霞丽娟德福淑珍"
# (summary, content) by kind of institution: bank or insurer.
BANK_MATTERS = [
    ("信用卡分期手续费争议", "反映办理信用卡分期时银行未明确告知手续费率，实际年化费率远高于宣传，要求退还多收费用。"),
    ("贷款利率上浮未告知", "反映经营贷款续贷时利率上浮，客户经理未书面告知，要求按原合同利率执行。"),
    ("理财产品收益不符宣传", "反映购买的理财产品到期收益低于销售人员口头承诺，质疑存在误导销售。"),
    ("银行卡被盗刷", "反映银行卡在本人持卡情况下被异地盗刷，要求银行协助追回资金并赔偿损失。"),
    ("征信记录异议", "反映个人征信报告出现逾期记录，本人已按时还款，要求核实并更正。"),
    ("存款到期未能支取", "反映定期存款到期后网点以系统原因拒绝支取，影响家庭资金周转。"),
    ("手机银行转账失败", "反映手机银行转账显示失败但账户已扣款，多次联系客服未果。"),
    ("服务态度差", "反映网点工作人员服务态度生硬，老年客户办理业务长时间等待无人引导。"),
    ("捆绑销售保险", "反映办理贷款时被要求同时购买保险产品，否则不予放款。"),
]
INSURER_MATTERS = [
    ("车险理赔拖延", "反映车辆出险后保险公司理赔拖延超过一个月，定损金额明显偏低，要求尽快理赔。"),
    ("退保手续费争议", "反映申请退保时被扣除高额手续费，投保时销售人员未说明退保损失。"),
    ("保险销售误导", "反映销售人员将分红型保险宣传为存款产品，要求全额退保。"),
    ("医疗险拒赔", "反映住院医疗费用申请理赔被以既往症为由拒赔，认为投保时已如实告知。"),
    ("续保保费上涨", "反映续保时保费大幅上涨且未提前通知，要求说明依据。"),
    ("理赔材料反复补充", "反映理赔过程中被要求反复补充材料，理赔进度不透明。"),
    ("营销电话骚扰", "反映频繁接到保险营销电话，要求停止使用个人信息进行营销。"),
]
# Weights of case types and channels (12378 carries most consumer complaints).
TYPES = [(CaseType.COMPLAINT, 0.62), (CaseType.PETITION, 0.23), (CaseType.REPORT, 0.15)]
CHANNELS = {
    CaseType.COMPLAINT: [
        (Channel.HOTLINE_12378, 0.6),
        (Channel.PHONE, 0.15),
        (Channel.VISIT, 0.15),
        (Channel.ONLINE, 0.1),
    ],
    CaseType.PETITION: [
        (Channel.VISIT, 0.35),
        (Channel.LETTER, 0.25),
        (Channel.SENT_DOWN, 0.2),
        (Channel.ONLINE, 0.1),
        (Channel.FAX, 0.05),
        (Channel.PHONE, 0.05),
    ],
    CaseType.REPORT: [(Channel.LETTER, 0.4), (Channel.ONLINE, 0.3), (Channel.VISIT, 0.15), (Channel.SENT_DOWN, 0.15)],
}
# How cases of each type end (docs/domain.md): a complaint is not "not accepted" but withdrawn or escalated.
CLOSURES = {
    CaseType.PETITION: [
        (Closure.RESOLVED, 0.85),
        (Closure.NOT_ACCEPTED, 0.06),
        (Closure.NOT_OUR_REMIT, 0.06),
        (Closure.ESCALATED, 0.03),
    ],
    CaseType.REPORT: [(Closure.RESOLVED, 0.88), (Closure.NOT_ACCEPTED, 0.12)],
    CaseType.COMPLAINT: [(Closure.RESOLVED, 0.9), (Closure.WITHDRAWN, 0.05), (Closure.ESCALATED, 0.05)],
}
OPEN_PATHS = {
    CaseType.PETITION: [CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.REPLIED],
    CaseType.REPORT: [CaseStatus.REGISTERED, CaseStatus.MATERIALS_PENDING, CaseStatus.ACCEPTED, CaseStatus.REPLIED],
    CaseType.COMPLAINT: [
        CaseStatus.REGISTERED,
        CaseStatus.FORWARDED,
        CaseStatus.INSTITUTION_ACKNOWLEDGED,
        CaseStatus.INSTITUTION_REPLIED,
    ],
}
# An investigated 举报's finding: the ledger's 举报查实情况 filter and the institutions' ranking count it.
FINDINGS = [(Finding.SUBSTANTIATED, 0.4), (Finding.PARTLY, 0.25), (Finding.NOT_SUBSTANTIATED, 0.35)]
