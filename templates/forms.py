"""The form-like templates: requirement form, approval sheet, change request, acceptance report,
trial-run evaluation report — a label/value table, a few sections, the signature block."""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from itdocs.templates import docxkit as kit
from itdocs.templates import docxtables as tables
from itdocs.templates.docxtables import FORM, H, L, V


def requirement_form() -> DocumentObject:
    """需求申请表 / 两化服务需求申请表."""
    doc = kit.start(
        "{{ doc.title }}", subtitle="项目编号：{{ project.id }}　　申请日期：{{ requirement.date }}"
    )
    tables.form(
        doc,
        FORM,
        [
            [L("项目名称"), V("{{ project.name }}", 3)],
            [L("需求名称"), V("{{ requirement.title }}", 3)],
            [
                L("申请部门"),
                V("{{ requirement.department }}"),
                L("申请人"),
                V("{{ requirement.requester }}"),
            ],
            [
                L("申请日期"),
                V("{{ requirement.date }}"),
                L("紧急程度"),
                V("{{ requirement.urgency }}"),
            ],
            [
                L("预算金额"),
                V(
                    "{% if requirement.budget %}{{ requirement.budget_capital }}（¥{{ requirement.budget }}）{% endif %}",
                    3,
                ),
            ],
            [
                L("要求完成时间"),
                V("{{ requirement.required_by }}"),
                L("主管部门"),
                V("{{ project.department }}"),
            ],
            (2.2, [L("需求背景"), V("{{ requirement.background }}", 3)]),
            (3.0, [L("需求内容"), V("{{ requirement.content }}", 3)]),
            (2.0, [L("预期目标"), V("{{ requirement.goal }}", 3)]),
            [H("信息技术部门初步评估", 4)],
            (1.2, [L("合理性"), V("{{ requirement.assessment.reasonableness }}", 3)]),
            (1.2, [L("紧迫性"), V("{{ requirement.assessment.urgency }}", 3)]),
            (1.2, [L("预算评估"), V("{{ requirement.assessment.budget }}", 3)]),
            [
                L("评估结论"),
                V("{{ requirement.assessment.conclusion }}"),
                L("评估人"),
                V("{{ requirement.assessment.by }}"),
            ],
        ],
    )
    tables.signature_block(doc)
    return doc


def approval_sheet() -> DocumentObject:
    """采购审批单: the request, then the policy's approval chain with opinions and signatures."""
    doc = kit.start("采购审批单", subtitle="项目编号：{{ project.id }}")
    tables.form(
        doc,
        FORM,
        [
            [L("项目名称"), V("{{ project.name }}", 3)],
            [L("采购事项"), V("{{ requirement.title }}", 3)],
            [
                L("申请部门"),
                V("{{ requirement.department }}"),
                L("申请人"),
                V("{{ requirement.requester }}"),
            ],
            [L("申请日期"), V("{{ requirement.date }}"), L("流程类型"), V("{{ doc.kind_label }}")],
            [
                L("预算金额"),
                V(
                    "{% if requirement.budget %}{{ requirement.budget_capital }}（¥{{ requirement.budget }}）{% endif %}",
                    3,
                ),
            ],
            [
                L("拟选供应商"),
                V("{{ suppliers.chosen }}"),
                L("选择方式"),
                V("{{ suppliers.method }}"),
            ],
            [
                L("合同金额"),
                V(
                    "{% if contract.amount %}{{ contract.amount_capital }}（¥{{ contract.amount }}）{% endif %}",
                    3,
                ),
            ],
            (2.0, [L("采购内容"), V("{{ requirement.content }}", 3)]),
        ],
    )
    kit.para(doc, "审批意见", style="Table Heading", align=WD_ALIGN_PARAGRAPH.LEFT, keep=True)
    tables.grid(
        doc,
        [("审批环节", 3.4), ("审批意见", 10.2), ("结论", 2.4)],
        loop="a in approvals",
        cells=["{{ a.title }}", "{{ a.opinion }}", "{{ a.decision }}"],
        center=(0, 2),
    )
    tables.signature_block(doc, "审批签字（按审批顺序）")
    return doc


def change_request() -> DocumentObject:
    """变更申请单: what changes, why, impact on scope/cost/time, approvals."""
    doc = kit.start(
        "变更申请单", subtitle="项目编号：{{ project.id }}　　变更编号：{{ change.id }}"
    )
    tables.form(
        doc,
        FORM,
        [
            [L("项目名称"), V("{{ project.name }}", 3)],
            [L("变更事项"), V("{{ change.title }}", 3)],
            [L("申请人"), V("{{ change.requester }}"), L("申请日期"), V("{{ change.date }}")],
            [L("变更编号"), V("{{ change.id }}"), L("状态"), V("{{ change.status }}")],
            (2.4, [L("变更内容"), V("{{ change.description }}", 3)]),
            (2.0, [L("变更原因"), V("{{ change.reason }}", 3)]),
            [H("影响分析", 4)],
            (1.2, [L("对范围的影响"), V("{{ change.impact.scope or '无' }}", 3)]),
            [L("对费用的影响"), V("{{ change.cost_text or '无' }}", 3)],
            [L("对工期的影响"), V("{{ change.schedule_text or '无' }}", 3)],
        ],
    )
    kit.para(doc, "审批意见", style="Table Heading", align=WD_ALIGN_PARAGRAPH.LEFT, keep=True)
    tables.grid(
        doc,
        [("审批环节", 3.4), ("审批意见", 10.2), ("结论", 2.4)],
        loop="a in change.approvals",
        cells=["{{ a.title or a.role }}", "{{ a.opinion }}", "{{ a.decision }}"],
        center=(0, 2),
        empty="（待审批）",
    )
    tables.signature_block(doc)
    return doc


def acceptance_report() -> DocumentObject:
    """验收报告: team, criteria per category with results, third party, verdict, team signatures."""
    doc = kit.start("验收报告", subtitle="项目编号：{{ project.id }}")
    tables.form(
        doc,
        FORM,
        [
            [L("项目名称"), V("{{ project.name }}", 3)],
            [L("合同名称"), V("{{ contract.title }}", 3)],
            [
                L("合同编号"),
                V("{{ contract.number }}"),
                L("供应商"),
                V("{{ parties.supplier.name }}"),
            ],
            [
                L("验收日期"),
                V("{{ acceptance.date }}"),
                L("验收地点"),
                V("{{ acceptance.location }}"),
            ],
            [
                L("验收申请"),
                V(
                    "{% if acceptance.application.date %}{{ acceptance.application.applicant }} 于 {{ acceptance.application.date }} 提出{% endif %}",
                    3,
                ),
            ],
            [
                L("申请材料"),
                V(
                    "{% for c in acceptance.checklist %}{{ '☑' if c.present else '☐' }} {{ c.label }}　{% endfor %}",
                    3,
                ),
            ],
            [
                L("第三方机构"),
                V(
                    "{{ acceptance.third_party_name or ('（应有第三方机构参与）' if doc.third_party_required else '无') }}"
                    "{% if acceptance.third_party.uscc %}（统一社会信用代码 {{ acceptance.third_party.uscc }}）{% endif %}",
                    3,
                ),
            ],
        ],
    )
    kit.heading(doc, "验收小组")
    tables.grid(
        doc,
        [("序号", 1.2), ("姓名", 3.2), ("组内角色", 3.4), ("单位/部门", 8.2)],
        loop="m in acceptance.team",
        cells=["{{ loop.index }}", "{{ m.name }}", "{{ m.role }}", "{{ m.organization }}"],
        center=(0, 1, 2),
    )
    kit.heading(doc, "验收标准与结果")
    tables.grid(
        doc,
        [
            ("序号", 1.2),
            ("类别", 2.2),
            ("验收项", 2.8),
            ("验收标准", 4.2),
            ("验收结果", 3.8),
            ("结论", 1.8),
        ],
        loop="c in acceptance.criteria",
        center=(0, 1, 5),
        cells=[
            "{{ loop.index }}",
            "{{ c.category }}",
            "{{ c.name }}",
            "{{ c.standard }}",
            "{{ c.result }}",
            "{{ '通过' if c.passed else '不通过' }}",
        ],
    )
    kit.body(
        doc,
        "分类汇总：{% for s in acceptance.summary %}{{ s.name }} {{ s.passed }}/{{ s.total }} 项通过{{ '；' if not loop.last else '。' }}{% endfor %}",
    )
    kit.heading(doc, "验收结论")
    kit.body(
        doc,
        "{% for v in acceptance.verdict_options %}{{ '☑' if v.checked else '☐' }} {{ v.label }}　　{% endfor %}",
    )
    kit.tag(doc, "{%p if acceptance.remarks %}")
    kit.body(doc, "备注：{{ acceptance.remarks }}")
    kit.tag(doc, "{%p endif %}")
    tables.signature_block(doc, "验收小组成员签字")
    return doc


def trial_run_report() -> DocumentObject:
    """试运行评估报告 (process improvement): goals, tool issues, acceptance, roll-out advice."""
    doc = kit.start("试运行评估报告", subtitle="{{ improvement.plan.title }}")
    tables.form(
        doc,
        FORM,
        [
            [L("项目名称"), V("{{ project.name }}", 3)],
            [L("改进建议"), V("{{ proposal.id }}　{{ proposal.title }}", 3)],
            [L("试运行期间"), V("{{ trial_run.start }}至{{ trial_run.end or '今' }}", 3)],
            (1.2, [L("试运行范围"), V("{{ trial_run.scope }}", 3)]),
            [
                L("编写人"),
                V("{{ trial_run.report.author }}"),
                L("报告日期"),
                V("{{ trial_run.report.date }}"),
            ],
        ],
    )
    kit.heading(doc, "目标完成情况")
    kit.body(doc, "{{ trial_run.report.goal_completion }}")
    kit.heading(doc, "工具问题及解决办法")
    tables.grid(
        doc,
        [("序号", 1.2), ("问题", 7.0), ("解决办法", 7.8)],
        loop="t in trial_run.report.tool_issues",
        cells=["{{ loop.index }}", "{{ t.issue }}", "{{ t.fix }}"],
        center=(0,),
    )
    kit.heading(doc, "员工接受程度")
    kit.body(doc, "{{ trial_run.report.staff_acceptance or '（待补充）' }}")
    kit.heading(doc, "修订后的目标")
    kit.body(doc, "{{ trial_run.report.revised_goals or '目标不作修订。' }}")
    kit.heading(doc, "推广建议")
    kit.body(doc, "{{ trial_run.report.rollout_advice }}")
    kit.heading(doc, "是否需要进一步试运行")
    kit.body(doc, "{{ '☑ 是　　☐ 否' if trial_run.report.further_trial else '☐ 是　　☑ 否' }}")
    tables.signature_block(doc)
    return doc
