/** Training and confidentiality attestation validity per branch. */
import { Progress, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { get } from '../api';
import { Loaded, useLoad } from '../common';

interface BranchStatus { branchId: string; employees: number; trainingValid: number; attestationValid: number }

const pct = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 100));

export default function Training() {
  const { t, i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  const state = useLoad(() => get<BranchStatus[]>('/api/v1/training-status'));
  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('trainingTitle')}</Typography.Title>
      <Loaded state={state}>
        {(rows) => (
          <Table size="middle" rowKey="branchId" dataSource={rows} pagination={false} locale={{ emptyText: t('empty') }} columns={[
            { title: t('branch'), dataIndex: 'branchId' },
            { title: en ? 'Employees' : '在岗员工', dataIndex: 'employees' },
            { title: en ? 'Training valid' : '数据安全培训有效', render: (_, r) => <Progress percent={pct(r.trainingValid, r.employees)} size="small" format={() => `${r.trainingValid}/${r.employees}`} status={r.trainingValid < r.employees ? 'exception' : 'success'} /> },
            { title: en ? 'Attestation valid' : '保密承诺书有效', render: (_, r) => <Progress percent={pct(r.attestationValid, r.employees)} size="small" format={() => `${r.attestationValid}/${r.employees}`} status={r.attestationValid < r.employees ? 'exception' : 'success'} /> },
          ]} />
        )}
      </Loaded>
    </div>
  );
}
