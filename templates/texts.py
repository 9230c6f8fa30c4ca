"""The templates that read as text: service scheme, contract, kickoff and meeting minutes, reports —
numbered sections (一、 / 第一条) with tables inside, the signature block at the end."""

from __future__ import annotations

from docx.document import Document as DocumentObject
from itdocs.templates import docxkit as kit
from itdocs.templates import docxtables as tables
from itdocs.templates.docxtables import FORM, H, L, V


def service_scheme() -> DocumentObject:
    """服务方案 / 挂靠方案 (affiliation adds resources, cooperation mode, responsibilities)."""
    doc = kit.start("{{ doc.title }}", subtitle="{{ scheme.title }}")
    tables.form(
        doc,
        FORM,
        [
            [L("项目名称"), V("{{ project.name }}", 3)],
            [L("编制人"), V("{{ scheme.author }}"), L("编制日期"), V("{{ scheme.date }}")],
            [L("甲方"), V("{{ parties.client.name }}", 3)],
            [
                L("{{ '挂靠单位' if doc.affiliation else '服务单位' }}"),
                V("{{ parties.supplier.name }}", 3),
            ],
        ],
    )
    kit.heading(doc, "项目概述")
    kit.body(doc, "{{ scheme.overview }}")
    kit.heading(doc, "技术方案")
    kit.body(doc, "{{ scheme.technical_plan or '（待补充）' }}")
    kit.heading(doc, "实施计划")
    kit.body(doc, "{{ scheme.implementation_plan or '实施进度安排如下表。' }}")
    tables.grid(
        doc,
        [("序号", 1.2), ("阶段", 4.0), ("开始日期", 3.4), ("结束日期", 3.4), ("交付物", 4.0)],
        loop="s in scheme.schedule",
        center=(0, 2, 3),
        cells=[
            "{{ loop.index }}",
            "{{ s.phase }}",
            "{{ s.start }}",
            "{{ s.end }}",
            "{{ s.deliverable }}",
        ],
    )
    kit.heading(doc, "预算")
    tables.grid(
        doc,
        [("序号", 1.2), ("预算项目", 5.0), ("金额（元）", 3.4), ("说明", 6.4)],
        loop="b in scheme.budget_items",
        center=(0,),
        cells=["{{ loop.index }}", "{{ b.item }}", "{{ b.amount }}", "{{ b.note }}"],
        after=[
            [
                L("合计", 2),
                V(
                    "{% if scheme.budget_total %}{{ scheme.budget_total_capital }}（¥{{ scheme.budget_total }}）{% endif %}",
                    2,
                ),
            ]
        ],
    )
    kit.heading(doc, "风险评估与应对")
    kit.body(doc, "{{ scheme.risk_assessment or '（待补充）' }}")
    for title, field in (("资源配置", "resources"), ("合作模式", "cooperation_mode")):
        kit.tag(doc, f"{{%p if doc.affiliation or scheme.{field} %}}")
        kit.heading(doc, title)
        kit.body(doc, f"{{{{ scheme.{field} or '（待补充）' }}}}")
        kit.tag(doc, "{%p endif %}")
    kit.tag(doc, "{%p if doc.affiliation or scheme.responsibilities %}")
    kit.heading(doc, "责任划分")
    tables.grid(
        doc,
        [("责任方", 3.6), ("职责", 12.4)],
        loop="r in scheme.responsibilities",
        cells=["{{ r.party }}", "{{ r.duty }}"],
        center=(0,),
        empty="（待补充）",
    )
    kit.tag(doc, "{%p endif %}")
    kit.heading(doc, "方案评审")
    tables.form(
        doc,
        FORM,
        [
            [
                L("评审日期"),
                V("{{ scheme.review.date }}"),
                L("评审结论"),
                V("{{ scheme.review.conclusion }}"),
            ],
            [L("评审人"), V("{{ scheme.review.reviewers|join('、') }}", 3)],
            (1.5, [L("评审意见"), V("{{ scheme.review.opinion }}", 3)]),
        ],
    )
    tables.signature_block(doc)
    return doc


def _party(who: str, key: str) -> list:
    org = f"parties.{key}"
    return [
        [H(who, 4)],
        [L("名称"), V(f"{{{{ {org}.name }}}}", 3)],
        [
            L("统一社会信用代码"),
            V(f"{{{{ {org}.uscc }}}}"),
            L("法定代表人"),
            V(f"{{{{ {org}.legal_representative }}}}"),
        ],
        [L("地址"), V(f"{{{{ {org}.address }}}}", 3)],
        [L("联系人"), V(f"{{{{ {org}.contact }}}}"), L("电话"), V(f"{{{{ {org}.phone }}}}")],
    ]


def contract() -> DocumentObject:
    """服务合同: parties, scope, deliverables, price in figures and capitals, SLA, confidentiality …"""
    doc = kit.start(
        "{{ contract.title }}", heading_format="第%1条", subtitle="合同编号：{{ contract.number }}"
    )
    tables.form(
        doc,
        [3.2, 4.8, 2.6, 5.4],
        _party("甲方（委托方）", "client")
        + _party("{{ '乙方（挂靠方）' if doc.affiliation else '乙方（服务方）' }}", "supplier"),
    )
    kit.body(
        doc,
        "甲乙双方本着平等自愿、诚实信用的原则，经友好协商，就“{{ project.name }}”相关服务事宜达成如下协议，共同遵守。",
    )
    kit.heading(doc, "服务范围")
    kit.body(doc, "{{ contract.scope }}")
    kit.heading(doc, "交付物")
    tables.grid(
        doc,
        [("序号", 1.2), ("交付物名称", 4.6), ("交付日期", 3.4), ("验收标准", 6.8)],
        loop="d in contract.deliverables",
        center=(0, 2),
        cells=["{{ loop.index }}", "{{ d.name }}", "{{ d.due }}", "{{ d.acceptance_criteria }}"],
    )
    kit.heading(doc, "服务期限")
    kit.body(
        doc,
        "本合同服务期限自{{ contract.start_date }}起至{{ contract.end_date }}止。"
        "{% if contract.renewal.auto %}合同期满{% if contract.renewal.notice_days %}前{{ contract.renewal.notice_days }}日{% endif %}"
        "任何一方未书面提出不续约的，本合同自动续约{% if contract.renewal.term_months %}{{ contract.renewal.term_months }}个月{% endif %}。{% endif %}",
    )
    kit.heading(doc, "质量标准")
    kit.body(
        doc,
        "{{ contract.quality_standards or '乙方提供的服务应符合国家及行业相关标准，并达到本合同约定的服务水平。' }}",
    )
    kit.heading(doc, "合同价款")
    kit.body(
        doc,
        "本合同总金额为{{ contract.amount_capital }}（¥{{ contract.amount }}）"
        "{% if contract.tax_rate %}，含增值税，税率{{ contract.tax_rate }}%{% endif %}。",
    )
    kit.heading(doc, "付款方式")
    tables.grid(
        doc,
        [
            ("序号", 1.2),
            ("付款节点", 3.2),
            ("比例", 1.4),
            ("金额（元）", 2.8),
            ("付款条件", 4.0),
            ("预计付款日期", 3.4),
        ],
        loop="p in contract.payment",
        center=(0, 2, 5),
        cells=[
            "{{ loop.index }}",
            "{{ p.milestone }}",
            "{% if p.percent %}{{ p.percent }}%{% endif %}",
            "{{ p.amount }}",
            "{{ p.condition }}",
            "{{ p.due }}",
        ],
    )
    kit.heading(doc, "服务水平协议（SLA）")
    kit.body(
        doc,
        "乙方应按下表约定的服务水平提供服务。{% if contract.sla.reporting %}服务报告：{{ contract.sla.reporting|sentence }}{% endif %}",
    )
    tables.grid(
        doc,
        [("优先级", 2.2), ("适用情形", 7.8), ("响应时间", 3.0), ("解决时间", 3.0)],
        loop="pr in contract.sla.priorities",
        center=(0, 2, 3),
        cells=[
            "{{ pr.level }}",
            "{{ pr.description }}",
            "{{ pr.response_minutes }} 分钟",
            "{{ pr.resolution_hours }} 小时",
        ],
        before=[
            [L("服务时间"), V("{{ contract.sla.service_hours }}", 3)],
            [L("系统可用性"), V("不低于 {{ contract.sla.availability }}%", 3)],
        ],
        after=[[L("未达服务水平的处理"), V("{{ contract.sla.penalty }}", 3)]],
    )
    kit.heading(doc, "保密条款")
    kit.body(doc, "1. 保密范围：{{ contract.confidentiality.scope }}")
    kit.body(
        doc,
        "2. 保密期限：保密义务自本合同生效之日起，至本合同终止后{{ contract.confidentiality.duration_years }}年内持续有效。",
    )
    kit.body(doc, "3. 数据返还与销毁：{{ contract.confidentiality.data_disposal }}")
    kit.tag(doc, "{%p if contract.confidentiality.personnel %}")
    kit.body(doc, "4. 人员保密要求：{{ contract.confidentiality.personnel }}")
    kit.tag(doc, "{%p endif %}")
    kit.heading(doc, "违约责任")
    kit.body(doc, "{{ contract.breach_liability }}")
    for title, field in (("知识产权归属", "ip_ownership"), ("风险分担", "risk_allocation")):
        kit.tag(doc, f"{{%p if doc.affiliation or contract.{field} %}}")
        kit.heading(doc, title)
        kit.body(doc, f"{{{{ contract.{field} }}}}")
        kit.tag(doc, "{%p endif %}")
    kit.heading(doc, "争议解决")
    kit.body(
        doc,
        "{{ contract.dispute_resolution or '因本合同引起的或与本合同有关的争议，双方应友好协商解决；协商不成的，任何一方均可向甲方所在地有管辖权的人民法院提起诉讼。' }}",
    )
    kit.heading(doc, "其他")
    kit.body(
        doc,
        "本合同经甲方法务审核后签订，自双方授权代表签字并加盖公章之日起生效。本合同一式肆份，甲乙双方各执贰份，具有同等法律效力。",
    )
    kit.body(
        doc,
        "法务审核：{{ contract.legal_review.name }}　审核日期：{{ contract.legal_review.date or '　　年　　月　　日' }}"
        "{% if contract.legal_review.opinion %}　审核意见：{{ contract.legal_review.opinion }}{% endif %}",
    )
    tables.signature_block(doc, "合同签署（甲乙双方授权代表签字并盖章）")
    return doc


def _meeting_form(doc: DocumentObject) -> None:
    tables.form(
        doc,
        FORM,
        [
            [L("项目名称"), V("{{ project.name }}", 3)],
            [L("会议名称"), V("{{ meeting.title }}"), L("会议类型"), V("{{ meeting.type }}")],
            [L("会议时间"), V("{{ meeting.time }}"), L("会议地点"), V("{{ meeting.location }}")],
            [L("主持人"), V("{{ meeting.host }}"), L("记录人"), V("{{ meeting.recorder }}")],
            (1.2, [L("参会人员"), V("{{ meeting.attendee_list }}", 3)]),
        ],
    )


def _meeting_body(doc: DocumentObject) -> None:
    kit.heading(doc, "会议议程")
    kit.listing(doc, "meeting.agenda")
    kit.heading(doc, "会议内容")
    kit.body(doc, "{{ meeting.summary or '（见会议决议）' }}")
    kit.heading(doc, "会议决议")
    tables.grid(
        doc,
        [("序号", 1.2), ("决议内容", 7.0), ("负责人", 2.0), ("完成时限", 3.8), ("状态", 2.0)],
        loop="r in meeting.resolutions",
        center=(0, 2, 3, 4),
        cells=[
            "{{ loop.index }}",
            "{{ r.content }}",
            "{{ r.owner }}",
            "{{ r.due }}",
            "{{ r.status }}",
        ],
    )


def kickoff_minutes() -> DocumentObject:
    """项目启动会会议纪要: goals, timeline and responsibilities, then the meeting itself."""
    doc = kit.start("项目启动会会议纪要")
    _meeting_form(doc)
    kit.heading(doc, "项目目标")
    kit.body(doc, "{{ requirement.goal or project.description or requirement.content }}")
    kit.heading(doc, "时间计划")
    kit.body(
        doc,
        "{% if contract.term %}服务期限：{{ contract.term }}。{% endif %}主要交付物及时间如下：",
    )
    tables.grid(
        doc,
        [("序号", 1.2), ("交付物", 6.6), ("交付日期", 3.4), ("验收标准", 4.8)],
        loop="d in contract.deliverables",
        center=(0, 2),
        cells=["{{ loop.index }}", "{{ d.name }}", "{{ d.due }}", "{{ d.acceptance_criteria }}"],
    )
    kit.heading(doc, "职责分工")
    tables.grid(
        doc,
        [("姓名", 2.6), ("所属方", 2.0), ("部门/单位", 4.4), ("角色与职责", 7.0)],
        loop="m in parties.people",
        center=(0, 1),
        cells=["{{ m.name }}", "{{ m.organization }}", "{{ m.department }}", "{{ m.role }}"],
    )
    _meeting_body(doc)
    tables.signature_block(doc)
    return doc


def meeting_minutes() -> DocumentObject:
    """会议纪要: attendees, agenda, summary, resolutions with owner and due date."""
    doc = kit.start("会议纪要", subtitle="{{ meeting.title }}")
    _meeting_form(doc)
    _meeting_body(doc)
    tables.signature_block(doc)
    return doc


def periodic_report() -> DocumentObject:
    """周报 / 月报 / 季报 (one template; ``doc.title`` says which)."""
    doc = kit.start("{{ doc.title }}", subtitle="{{ project.name }}　{{ doc.period_text }}")
    tables.form(
        doc,
        FORM,
        [
            [L("项目名称"), V("{{ project.name }}", 3)],
            [L("项目编号"), V("{{ project.id }}"), L("项目经理"), V("{{ project.manager }}")],
            [L("报告期"), V("{{ doc.period_text }}（{{ doc.period_label }}）", 3)],
            [L("编写人"), V("{{ report.author }}"), L("提交日期"), V("{{ report.filed }}")],
        ],
    )
    kit.heading(doc, "进展概述")
    kit.body(doc, "{{ report.summary }}")
    kit.tag(doc, "{%p if report.progress_percent %}")
    kit.body(
        doc,
        "计划进度 {{ report.planned_percent or '—' }}%，实际进度 {{ report.progress_percent }}%"
        "{% if report.deviation %}，偏差 {{ report.deviation }} 个百分点{% endif %}。",
    )
    kit.tag(doc, "{%p endif %}")
    kit.heading(doc, "本期完成工作")
    kit.listing(doc, "report.completed")
    kit.heading(doc, "下期工作计划")
    kit.listing(doc, "report.next_steps")
    kit.heading(doc, "问题与需协调事项")
    kit.listing(doc, "report.issues")
    kit.heading(doc, "风险")
    tables.grid(
        doc,
        [("序号", 1.2), ("风险描述", 12.4), ("等级", 2.4)],
        loop="r in report.risks",
        cells=["{{ loop.index }}", "{{ r.description }}", "{{ r.level }}"],
        center=(0, 2),
    )
    kit.heading(doc, "关键指标")
    tables.grid(
        doc,
        [("指标", 6.4), ("目标值", 3.2), ("实际值", 3.2), ("单位", 3.2)],
        loop="k in report.kpis",
        cells=["{{ k.name }}", "{{ k.target }}", "{{ k.actual }}", "{{ k.unit }}"],
        center=(1, 2, 3),
    )
    kit.heading(doc, "费用")
    tables.form(
        doc,
        [4.0, 4.0, 4.0, 4.0],
        [
            [H("本期预算（元）"), H("本期实际（元）"), H("差异（元）"), H("执行率")],
            [
                V("{{ report.cost.budget or '—' }}", center=True),
                V("{{ report.cost.actual or '—' }}", center=True),
                V("{{ report.cost.variance or '—' }}", center=True),
                V("{{ report.cost.rate or '—' }}", center=True),
            ],
        ],
    )
    tables.signature_block(doc)
    return doc
