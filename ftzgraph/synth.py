"""Synthetic graphs in the exact shape of the shipped one, for benchmarks and scale tests.

    counts = generate(measures=30_000, seed=1, out_dir=Path("synth"))
    # then: ftzgraph --data synth query zones

The folder gets zones.ttl, bodies.ttl, concepts.ttl, agreements.ttl, documents.ttl,
measures-000.ttl … and sources.ttl with sources/*.txt.  Zones, sub-areas, bodies and
agreement chapters carry their real IRIs and names, so the named queries' default
parameters find something; documents and measures are invented and say so in their
labels.  Every core statement has one ftz:Evidence whose quote stands in the cited line
of a synthetic source text, so ``ftzgraph validate`` can check them.  Bodies and zones
are drawn from power laws (a few bodies lead most measures, a few zones pilot most).
The same arguments give byte-identical files.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from dataclasses import dataclass
from pathlib import Path

MEASURES_PER_FILE = 5000  # one measures-NNN.ttl per this many: a progress bar by file moves
MARKER = "SYNTHETIC.md"  # marks a folder as ours, so a rerun may replace its files
PILOT_ROWS = 30  # measure:gh2024-156-01 … -30, the default of the evidence-for query among them

PREFIXES = """\
@prefix ftz:       <https://w3id.org/ftzgraph/ontology#> .
@prefix zone:      <https://w3id.org/ftzgraph/id/zone/> .
@prefix subarea:   <https://w3id.org/ftzgraph/id/subarea/> .
@prefix body:      <https://w3id.org/ftzgraph/id/body/> .
@prefix doc:       <https://w3id.org/ftzgraph/id/doc/> .
@prefix measure:   <https://w3id.org/ftzgraph/id/measure/> .
@prefix agreement: <https://w3id.org/ftzgraph/id/agreement/> .
@prefix provision: <https://w3id.org/ftzgraph/id/provision/> .
@prefix concept:   <https://w3id.org/ftzgraph/id/concept/> .
@prefix source:    <https://w3id.org/ftzgraph/id/source/> .
@prefix ev:        <https://w3id.org/ftzgraph/id/evidence/> .
@prefix dis:       <https://w3id.org/ftzgraph/id/disagreement/> .
@prefix rdf:       <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:      <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:       <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:      <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms:   <http://purl.org/dc/terms/> .
@prefix org:       <http://www.w3.org/ns/org#> .
@prefix prov:      <http://www.w3.org/ns/prov#> .

"""

# -- the fixed world: real zones, sub-areas, bodies and agreements --------------------------------

# Zones in the order of how many measures they pilot (the power law's ranks):
# id, name in 中国（…）, English name, province zh/en, province kind, batch, plan approved,
# inaugurated, provincial 文号 code and its pinyin, sub-areas (id, zh, en, function).
ZONES = [
    ("shanghai", "上海", "Shanghai", "上海市", "Shanghai", "municipality", 1, "2013-09-18", "2013-09-29", "沪府发", "hufufa", [
        ("lingang", "临港新片区", "Lin-gang Special Area", "人工智能创新及应用示范区"),
        ("lujiazui", "陆家嘴金融片区", "Lujiazui Financial Area", "金融服务"),
        ("zhangjiang", "张江高科技片区", "Zhangjiang Hi-Tech Area", "科技创新"),
        ("waigaoqiao", "外高桥保税区", "Waigaoqiao Bonded Zone", "物流枢纽")]),
    ("guangdong", "广东", "Guangdong", "广东省", "Guangdong", "province", 2, "2015-04-08", "2015-04-21", "粤府", "yuefu", [
        ("nansha", "广州南沙新区片区", "Guangzhou Nansha New Area", "现代产业新高地、综合服务枢纽"),
        ("qianhai-shekou", "深圳前海蛇口片区", "Shenzhen Qianhai-Shekou Area", "金融领域对外开放试验示范窗口"),
        ("hengqin", "珠海横琴新区片区", "Zhuhai Hengqin New Area", "国际商务服务休闲旅游基地")]),
    ("fujian", "福建", "Fujian", "福建省", "Fujian", "province", 2, "2015-04-08", "2015-04-21", "闽政", "minzheng", [
        ("xiamen", "厦门片区", "Xiamen Area", "海峡两岸制造业及新兴产业"),
        ("fuzhou", "福州片区", "Fuzhou Area", "先进制造业基地"),
        ("pingtan", "平潭片区", "Pingtan Area", "旅游和贸易中心")]),
    ("tianjin", "天津", "Tianjin", "天津市", "Tianjin", "municipality", 2, "2015-04-08", "2015-04-21", "津政发", "jinzhengfa", [
        ("port", "天津港片区", "Tianjin Port Area", "航运物流、国际贸易、融资租赁"),
        ("airport", "天津机场片区", "Tianjin Airport Area", "研发和高端制造业"),
        ("binhai-cbd", "滨海新区中心商务片区", "Binhai New Area Central Business Area", "金融创新")]),
    ("zhejiang", "浙江", "Zhejiang", "浙江省", "Zhejiang", "province", 3, "2017-03-15", "2017-04-01", "浙政发", "zhezhengfa", [
        ("zhoushan", "舟山片区", "Zhoushan Area", "油气全产业链"),
        ("ningbo", "宁波片区", "Ningbo Area", "国际航运和物流枢纽"),
        ("hangzhou", "杭州片区", "Hangzhou Area", "数字经济、金融科技创新中心"),
        ("jinyi", "金义片区", "Jinyi Area", "小商品贸易和物流枢纽")]),
    ("hainan", "海南", "Hainan", "海南省", "Hainan", "province", 4, "2018-06-13", None, "琼府", "qiongfu", [
        ("haikou-bonded", "海口综合保税区", "Haikou Comprehensive Bonded Zone", "保税加工与物流"),
        ("yangpu-bonded-port", "洋浦保税港区", "Yangpu Bonded Port Area", "航运物流"),
        ("haikou-airport", "海口空港综合保税区", "Haikou Airport Comprehensive Bonded Zone", "临空产业")]),
    ("hubei", "湖北", "Hubei", "湖北省", "Hubei", "province", 3, "2017-03-15", "2017-04-01", "鄂政发", "ezhengfa", [
        ("wuhan", "武汉片区", "Wuhan Area", "光电子信息产业集群"),
        ("xiangyang", "襄阳片区", "Xiangyang Area", "高端绿色技术"),
        ("yichang", "宜昌片区", "Yichang Area", "高科技和生物技术中心")]),
    ("sichuan", "四川", "Sichuan", "四川省", "Sichuan", "province", 3, "2017-03-15", "2017-04-01", "川府发", "chuanfufa", [
        ("tianfu", "成都天府新区片区", "Chengdu Tianfu New Area", "高端制造、研发和物流中心"),
        ("qingbaijiang", "成都青白江铁路港片区", "Chengdu Qingbaijiang Railway Port Area", "配送和物流枢纽"),
        ("chuannan", "川南临港片区", "Chuannan Lingang Area", "现代服务和物流枢纽")]),
    ("chongqing", "重庆", "Chongqing", "重庆市", "Chongqing", "municipality", 3, "2017-03-15", "2017-04-01", "渝府发", "yufufa", [
        ("liangjiang", "两江片区", "Liangjiang Area", "高端和新兴制造业"),
        ("xiyong", "西永片区", "Xiyong Area", "贸易和物流枢纽"),
        ("guoyuan-port", "果园港片区", "Guoyuan Port Area", "多式联运物流和服务中心")]),
    ("shandong", "山东", "Shandong", "山东省", "Shandong", "province", 5, "2019-08-02", "2019-08-30", "鲁政发", "luzhengfa", [
        ("jinan", "济南片区", "Jinan Area", "现代服务业"),
        ("qingdao", "青岛片区", "Qingdao Area", "国际物流海运枢纽"),
        ("yantai", "烟台片区", "Yantai Area", "高科技和先进制造")]),
    ("jiangsu", "江苏", "Jiangsu", "江苏省", "Jiangsu", "province", 5, "2019-08-02", "2019-08-30", "苏政发", "suzhengfa", [
        ("nanjing", "南京片区", "Nanjing Area", "集成电路与生命健康"),
        ("suzhou", "苏州片区", "Suzhou Area", "高科技和国际创新"),
        ("lianyungang", "连云港片区", "Lianyungang Area", "亚欧物流枢纽和门户")]),
    ("beijing", "北京", "Beijing", "北京市", "Beijing", "municipality", 6, "2020-08-30", "2020-09-24", "京政发", "jingzhengfa", [
        ("technology", "科技创新片区", "Science and Technology Innovation Area", "研发和尖端创新"),
        ("business", "国际商务服务片区", "International Business Services Area", "数字贸易、文化贸易、商业展览"),
        ("industry", "高端产业片区", "High-end Industry Area", "商业服务、国际金融、生物技术")]),
    ("henan", "河南", "Henan", "河南省", "Henan", "province", 3, "2017-03-15", "2017-04-01", "豫政", "yuzheng", [
        ("zhengzhou", "郑州片区", "Zhengzhou Area", "先进制造业和跨境电商"),
        ("kaifeng", "开封片区", "Kaifeng Area", "服务和创意产业中心"),
        ("luoyang", "洛阳片区", "Luoyang Area", "研发和高科技制造业")]),
    ("liaoning", "辽宁", "Liaoning", "辽宁省", "Liaoning", "province", 3, "2017-03-15", "2017-04-01", "辽政发", "liaozhengfa", [
        ("dalian", "大连片区", "Dalian Area", "港口和航运物流"),
        ("shenyang", "沈阳片区", "Shenyang Area", "先进制造业"),
        ("yingkou", "营口片区", "Yingkou Area", "现代服务业和新兴产业")]),
    ("shaanxi", "陕西", "Shaanxi", "陕西省", "Shaanxi", "province", 3, "2017-03-15", "2017-04-01", "陕政发", "shanzhengfa", [
        ("central", "中心片区", "Central Area (Shaanxi)", "新技术产业和航空物流"),
        ("xian-port", "西安国际港务区片区", "Xi'an International Port District Area", "物流枢纽和金融中心"),
        ("yangling", "杨凌示范区片区", "Yangling Demonstration Zone Area", "现代农业国际合作")]),
    ("guangxi", "广西", "Guangxi", "广西壮族自治区", "Guangxi Zhuang Autonomous Region", "region", 5, "2019-08-02", "2019-08-30", "桂政发", "guizhengfa", [
        ("nanning", "南宁片区", "Nanning Area", "现代服务业和数字经济中心"),
        ("qinzhou-port", "钦州港片区", "Qinzhou Port Area", "国际物流和绿色技术中心"),
        ("chongzuo", "崇左片区", "Chongzuo Area", "跨境贸易和跨境物流")]),
    ("hebei", "河北", "Hebei", "河北省", "Hebei", "province", 5, "2019-08-02", "2019-08-30", "冀政发", "jizhengfa", [
        ("xiongan", "雄安片区", "Xiong'an Area", "高科技产业和数字经济"),
        ("zhengding", "正定片区", "Zhengding Area", "国际物流和航空枢纽"),
        ("caofeidian", "曹妃甸片区", "Caofeidian Area", "海事和能源中心"),
        ("daxing-airport", "大兴机场片区", "Daxing Airport Area", "航空技术和物流枢纽")]),
    ("yunnan", "云南", "Yunnan", "云南省", "Yunnan", "province", 5, "2019-08-02", "2019-08-30", "云政发", "yunzhengfa", [
        ("kunming", "昆明片区", "Kunming Area", "高端制造和服务中心"),
        ("honghe", "红河片区", "Honghe Area", "跨境旅游科教中心"),
        ("dehong", "德宏片区", "Dehong Area", "跨境经济中心")]),
    ("heilongjiang", "黑龙江", "Heilongjiang", "黑龙江省", "Heilongjiang", "province", 5, "2019-08-02", "2019-08-30", "黑政发", "heizhengfa", [
        ("harbin", "哈尔滨片区", "Harbin Area", "新兴产业和技术中心"),
        ("heihe", "黑河片区", "Heihe Area", "跨境经济中心"),
        ("suifenhe", "绥芬河片区", "Suifenhe Area", "能源和贸易中心")]),
    ("hunan", "湖南", "Hunan", "湖南省", "Hunan", "province", 6, "2020-08-30", "2020-09-24", "湘政发", "xiangzhengfa", [
        ("changsha", "长沙片区", "Changsha Area", "先进制造中心"),
        ("yueyang", "岳阳片区", "Yueyang Area", "物流枢纽"),
        ("chenzhou", "郴州片区", "Chenzhou Area", "重工业和物流枢纽")]),
    ("anhui", "安徽", "Anhui", "安徽省", "Anhui", "province", 6, "2020-08-30", "2020-09-24", "皖政", "wanzheng", [
        ("hefei", "合肥片区", "Hefei Area", "高端制造"),
        ("wuhu", "芜湖片区", "Wuhu Area", "先进和新兴技术中心"),
        ("bengbu", "蚌埠片区", "Bengbu Area", "新型材料和稀有材料制造中心")]),
    ("xinjiang", "新疆", "Xinjiang", "新疆维吾尔自治区", "Xinjiang Uygur Autonomous Region", "region", 7, "2023-10-21", "2023-11-01", "新政发", "xinzhengfa", [
        ("urumqi", "乌鲁木齐片区", "Urumqi Area", "商贸物流"),
        ("kashgar", "喀什片区", "Kashgar Area", "跨境贸易"),
        ("khorgos", "霍尔果斯片区", "Khorgos Area", "口岸经济")]),
]
# Hainan Free Trade Port and its key parks; it shares Hainan's provincial government.
FREE_TRADE_PORT = ("hainan-ftp", "海南自由贸易港", "Hainan Free Trade Port", "海南自贸港", "Hainan FTP", "2020-06-01", [
    ("yangpu", "洋浦经济开发区", "Yangpu Economic Development Zone", "国际航运与加工制造"),
    ("jiangdong", "海口江东新区", "Haikou Jiangdong New Area", "总部经济与现代服务业"),
    ("yazhou-bay", "三亚崖州湾科技城", "Sanya Yazhou Bay Science and Technology City", "南繁育种与深海科技"),
    ("boao-lecheng", "博鳌乐城国际医疗旅游先行区", "Boao Lecheng International Medical Tourism Pilot Zone", "国际医疗旅游")])
FTP_RANK = 6  # Hainan FTP pilots about as much as a mid-ranked zone

# National bodies in the order of how many measures they lead: id, zh, en, short zh name.
LEADING_BODIES = [
    ("gacc", "中华人民共和国海关总署", "General Administration of Customs of the People's Republic of China", "海关总署"),
    ("mofcom", "中华人民共和国商务部", "Ministry of Commerce of the People's Republic of China", "商务部"),
    ("pboc", "中国人民银行", "People's Bank of China", "人民银行"),
    ("samr", "国家市场监督管理总局", "State Administration for Market Regulation", "市场监管总局"),
    ("ndrc", "中华人民共和国国家发展和改革委员会", "National Development and Reform Commission", "发展改革委"),
    ("nia", "国家移民管理局", "National Immigration Administration", "国家移民局"),
    ("sta", "国家税务总局", "State Taxation Administration", "税务总局"),
    ("nfra", "国家金融监督管理总局", "National Financial Regulatory Administration", "金融监管总局"),
    ("mot", "中华人民共和国交通运输部", "Ministry of Transport of the People's Republic of China", "交通运输部"),
    ("miit", "中华人民共和国工业和信息化部", "Ministry of Industry and Information Technology of the People's Republic of China", "工信部"),
    ("safe", "国家外汇管理局", "State Administration of Foreign Exchange", "国家外汇局"),
    ("mof", "中华人民共和国财政部", "Ministry of Finance of the People's Republic of China", "财政部"),
    ("csrc", "中国证券监督管理委员会", "China Securities Regulatory Commission", "中国证监会"),
    ("mohrss", "中华人民共和国人力资源和社会保障部", "Ministry of Human Resources and Social Security of the People's Republic of China", "人社部"),
    ("mee", "中华人民共和国生态环境部", "Ministry of Ecology and Environment of the People's Republic of China", "生态环境部"),
    ("most", "中华人民共和国科学技术部", "Ministry of Science and Technology of the People's Republic of China", "科学技术部"),
    ("moj", "中华人民共和国司法部", "Ministry of Justice of the People's Republic of China", "司法部"),
    ("cac", "国家互联网信息办公室", "Cyberspace Administration of China", "国家网信办"),
    ("nmpa", "国家药品监督管理局", "National Medical Products Administration", "国家药监局"),
    ("mps", "中华人民共和国公安部", "Ministry of Public Security of the People's Republic of China", "公安部"),
    ("mara", "中华人民共和国农业农村部", "Ministry of Agriculture and Rural Affairs of the People's Republic of China", "农业农村部"),
    ("cnipa", "国家知识产权局", "China National Intellectual Property Administration", "知识产权局"),
    ("mnr", "中华人民共和国自然资源部", "Ministry of Natural Resources of the People's Republic of China", "自然资源部"),
    ("nhc", "中华人民共和国国家卫生健康委员会", "National Health Commission of the People's Republic of China", "卫生健康委"),
    ("moe", "中华人民共和国教育部", "Ministry of Education of the People's Republic of China", "教育部"),
    ("mct", "中华人民共和国文化和旅游部", "Ministry of Culture and Tourism of the People's Republic of China", "文化和旅游部"),
    ("caac", "中国民用航空局", "Civil Aviation Administration of China", "中国民航局"),
    ("spb", "国家邮政局", "State Post Bureau", "邮政局"),
    ("nea", "国家能源局", "National Energy Administration", "能源局"),
    ("mohurd", "中华人民共和国住房和城乡建设部", "Ministry of Housing and Urban-Rural Development of the People's Republic of China", "住房城乡建设部"),
    ("msa", "中华人民共和国海事局", "Maritime Safety Administration of the People's Republic of China", "海事局"),
    ("sac", "国家标准化管理委员会", "Standardization Administration of the People's Republic of China", "国家标准委"),
    ("cnca", "国家认证认可监督管理委员会", "Certification and Accreditation Administration of the People's Republic of China", "国家认监委"),
    ("nhsa", "国家医疗保障局", "National Healthcare Security Administration", "国家医保局"),
    ("nda", "国家数据局", "National Data Administration", "数据局"),
    ("spc", "中华人民共和国最高人民法院", "Supreme People's Court of the People's Republic of China", "最高法"),
    ("ccpit", "中国国际贸易促进委员会", "China Council for the Promotion of International Trade", "中国贸促会"),
    ("sasac", "国务院国有资产监督管理委员会", "State-owned Assets Supervision and Administration Commission of the State Council", "国资委"),
    ("mfa", "中华人民共和国外交部", "Ministry of Foreign Affairs of the People's Republic of China", "外交部"),
    ("mca", "中华人民共和国民政部", "Ministry of Civil Affairs of the People's Republic of China", "民政部"),
    ("nbs", "国家统计局", "National Bureau of Statistics of China", "统计局"),
]
# Bodies that issue documents but lead no measures.
ISSUING_BODIES = [
    ("state-council", "中华人民共和国国务院", "State Council of the People's Republic of China", "国务院"),
    ("gosc", "中华人民共和国国务院办公厅", "General Office of the State Council", "国务院办公厅"),
    ("ccp-central-committee", "中国共产党中央委员会", "Central Committee of the Communist Party of China", "中共中央"),
    ("npc-standing-committee", "全国人民代表大会常务委员会", "Standing Committee of the National People's Congress", "全国人大常委会"),
    ("ftz-joint-conference", "国务院自由贸易试验区工作部际联席会议", "State Council Inter-Ministerial Joint Conference on Pilot Free Trade Zone Work", "联席会议"),
    ("ftz-joint-conference-office", "国务院自由贸易试验区工作部际联席会议办公室", "Office of the State Council Inter-Ministerial Joint Conference on Pilot Free Trade Zone Work", "联席会议办公室"),
]
SHORT_NAMES = {b[0]: b[3] for b in ISSUING_BODIES + LEADING_BODIES}  # as sources print them
PARENTS = {"gosc": "state-council", "ftz-joint-conference": "state-council", "ftz-joint-conference-office": "ftz-joint-conference",
           "npc-standing-committee": "ccp-central-committee", "safe": "pboc", "nia": "mps", "msa": "mot"}

# Agreements: id, zh name, en name, chapter word, chapters (zh, en); chapters whose title
# is procedural (final provisions, dispute settlement …) never get aligned measures.
PROCEDURAL = ("Initial Provisions", "Final Provisions", "Dispute Settlement", "Exceptions", "Institutional",
              "Joint Committee", "Administrative and Institutional")
AGREEMENTS = [
    ("cptpp", "全面与进步跨太平洋伙伴关系协定", "Comprehensive and Progressive Agreement for Trans-Pacific Partnership", "CPTPP", "chapter", [
        ("初始条款和一般定义", "Initial Provisions and General Definitions"), ("货物的国民待遇和市场准入", "National Treatment and Market Access for Goods"),
        ("原产地规则和原产地程序", "Rules of Origin and Origin Procedures"), ("纺织品和服装", "Textile and Apparel Goods"),
        ("海关管理与贸易便利化", "Customs Administration and Trade Facilitation"), ("贸易救济", "Trade Remedies"),
        ("卫生和植物卫生措施", "Sanitary and Phytosanitary Measures"), ("技术性贸易壁垒", "Technical Barriers to Trade"),
        ("投资", "Investment"), ("跨境服务贸易", "Cross-Border Trade in Services"), ("金融服务", "Financial Services"),
        ("商务人员临时入境", "Temporary Entry for Business Persons"), ("电信", "Telecommunications"), ("电子商务", "Electronic Commerce"),
        ("政府采购", "Government Procurement"), ("竞争政策", "Competition Policy"),
        ("国有企业和指定垄断", "State-Owned Enterprises and Designated Monopolies"), ("知识产权", "Intellectual Property"),
        ("劳工", "Labour"), ("环境", "Environment"), ("合作和能力建设", "Cooperation and Capacity Building"),
        ("竞争力和商务便利化", "Competitiveness and Business Facilitation"), ("发展", "Development"),
        ("中小企业", "Small and Medium-Sized Enterprises"), ("监管一致性", "Regulatory Coherence"),
        ("透明度和反腐败", "Transparency and Anti-Corruption"), ("管理和机构条款", "Administrative and Institutional Provisions"),
        ("争端解决", "Dispute Settlement"), ("例外和总则", "Exceptions and General Provisions"), ("最终条款", "Final Provisions")]),
    ("rcep", "区域全面经济伙伴关系协定", "Regional Comprehensive Economic Partnership Agreement", "RCEP", "chapter", [
        ("初始条款和一般定义", "Initial Provisions and General Definitions"), ("货物贸易", "Trade in Goods"), ("原产地规则", "Rules of Origin"),
        ("海关程序和贸易便利化", "Customs Procedures and Trade Facilitation"), ("卫生与植物卫生措施", "Sanitary and Phytosanitary Measures"),
        ("标准、技术法规和合格评定程序", "Standards, Technical Regulations, and Conformity Assessment Procedures"),
        ("贸易救济", "Trade Remedies"), ("服务贸易", "Trade in Services"), ("自然人临时移动", "Temporary Movement of Natural Persons"),
        ("投资", "Investment"), ("知识产权", "Intellectual Property"), ("电子商务", "Electronic Commerce"), ("竞争", "Competition"),
        ("中小企业", "Small and Medium Enterprises"), ("经济技术合作", "Economic and Technical Cooperation"),
        ("政府采购", "Government Procurement"), ("一般条款和例外", "General Provisions and Exceptions"),
        ("机构条款", "Institutional Provisions"), ("争端解决", "Dispute Settlement"), ("最终条款", "Final Provisions")]),
    ("depa", "数字经济伙伴关系协定", "Digital Economy Partnership Agreement", "DEPA", "module", [
        ("初步规定和一般定义", "Initial Provisions and General Definitions"), ("商业和贸易便利化", "Business and Trade Facilitation"),
        ("数字产品及相关问题的处理", "Treatment of Digital Products and Related Issues"), ("数据问题", "Data Issues"),
        ("广泛的信任环境", "Wider Trust Environment"), ("商业和消费者信任", "Business and Consumer Trust"),
        ("数字身份", "Digital Identities"), ("新兴趋势和技术", "Emerging Trends and Technologies"),
        ("创新与数字经济", "Innovation and the Digital Economy"), ("中小企业合作", "Small and Medium Enterprises Cooperation"),
        ("数字包容", "Digital Inclusion"), ("联合委员会和联络点", "Joint Committee and Contact Points"), ("透明度", "Transparency"),
        ("争端解决", "Dispute Settlement"), ("例外", "Exceptions"), ("最终条款", "Final Provisions")]),
]
ALIGNMENT_SHARE = {"cptpp": 0.5, "rcep": 0.25, "depa": 0.25}  # of measures' alignments

# Policy fields (the shipped concepts) with measure topics (zh, en), and their share of measures.
FIELDS = [
    ("trade", "贸易领域", "Trade", 5, [("跨境贸易", "Cross-border trade"), ("通关", "Customs clearance"), ("国际贸易“单一窗口”", "International trade single window"),
                                     ("保税维修", "Bonded maintenance"), ("转口贸易", "Entrepôt trade"), ("跨境电商", "Cross-border e-commerce")]),
    ("investment", "投资领域", "Investment", 4, [("外商投资准入", "Foreign investment access"), ("企业开办", "Business start-up"),
                                              ("投资项目审批", "Investment project approval"), ("境外投资备案", "Outbound investment filing")]),
    ("finance", "金融开放创新领域", "Financial opening and innovation", 4, [("跨境资金池", "Cross-border cash pooling"), ("本外币一体化账户", "Integrated currency accounts"),
                                                                        ("融资租赁", "Financial leasing"), ("跨境人民币结算", "Cross-border RMB settlement")]),
    ("supervision", "事中事后监管领域", "In-process and ex-post supervision", 3, [("信用监管", "Credit-based supervision"), ("包容审慎监管", "Inclusive and prudent supervision"),
                                                                               ("风险防控", "Risk prevention")]),
    ("government-functions", "政府职能转变", "Transformation of government functions", 3, [("证照分离", "Separation of permits and licences"), ("一网通办", "One-stop online services"),
                                                                                         ("告知承诺制", "Notification and commitment")]),
    ("tax", "优化税收征管领域", "Tax administration", 2, [("出口退税", "Export tax rebates"), ("电子发票", "Electronic invoices"), ("离境退税", "Departure tax refunds")]),
    ("mobility", "人员流动便利领域", "Movement of people", 2, [("外籍人才签证", "Visas for foreign talent"), ("跨境执业", "Cross-border professional practice"),
                                                         ("职业资格互认", "Mutual recognition of qualifications")]),
    ("digital", "数字贸易", "Digital trade", 2, [("数据跨境流动", "Cross-border data flows"), ("数字身份认证", "Digital identity authentication"), ("无纸化贸易", "Paperless trade")]),
    ("industry", "产业发展", "Industrial development", 2, [("生物医药研发", "Biomedical R&D"), ("集成电路", "Integrated circuits"), ("航运服务", "Shipping services")]),
    ("ip", "知识产权", "Intellectual property", 1, [("知识产权保护", "Intellectual property protection"), ("专利快速审查", "Fast-track patent examination")]),
    ("judicial", "法治保障", "Rule of law and dispute resolution", 1, [("国际商事仲裁", "International commercial arbitration"), ("商事调解", "Commercial mediation")]),
    ("environment", "生态环境", "Environment", 1, [("碳排放权交易", "Carbon emissions trading"), ("生态环境监管", "Environmental supervision")]),
]
ACTIONS = [("试点", "pilot"), ("改革", "reform"), ("便利化措施", "facilitation measure"), ("监管创新", "supervision innovation"), ("服务模式", "service model")]
SCOPES = [("scope-national", "全国", "Nationwide", 45), ("scope-ftz", "自贸试验区", "All pilot free trade zones", 45),
          ("scope-special-customs-areas", "海关特殊监管区域", "Special customs supervision areas", 10)]
NUMERALS = "一二三四五六七"
ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh")
REFORM_BATCHES, BEST_PRACTICE_BATCHES = 7, 5
OPENING_BATCH = "batch-institutional-opening-2024"

# Measure kinds: share of measures, chance of being listed in a document, of lead bodies
# (and how many), of pilot places (and how many), of aligning with a rule.
@dataclass(frozen=True)
class Kind:
    name: str
    share: int
    listed: float
    lead: float
    leads: int
    piloted: float
    places: int
    aligned: float


KINDS = [
    Kind("PilotMeasure", 10, 1.0, 1.0, 3, 0.2, 1, 0.85),
    Kind("BestPracticeCase", 10, 1.0, 0.3, 1, 1.0, 2, 0.05),
    Kind("ReformPilotExperience", 25, 0.85, 1.0, 2, 0.5, 3, 0.05),
    Kind("ZoneInnovation", 55, 0.1, 0.1, 1, 1.0, 2, 0.05),
]

# Document families: 文号 pinyin and characters, measure-IRI prefix, issuers, issuer names, genre, weight.
@dataclass(frozen=True)
class Family:
    code: str
    code_zh: str
    abbr: str
    issuers: tuple[str, ...]
    issuer_zh: str
    issuer_en: str
    genre: tuple[str, str]
    weight: float
    zone: str | None = None  # a provincial family's documents apply to its zone


NATIONAL_FAMILIES = [  # the first ones are certain to appear: the named queries' defaults need them
    Family("guohan", "国函", "gh", ("state-council",), "国务院", "the State Council", ("通知", "Notice"), 6),
    Family("fagaiwaizi", "发改外资", "fgwz", ("ndrc", "mofcom"), "国家发展改革委 商务部", "the NDRC and the Ministry of Commerce", ("通知", "Notice"), 2),
    Family("shangzimaohan", "商自贸函", "szm", ("mofcom",), "商务部", "the Ministry of Commerce", ("通知", "Notice"), 4),
    Family("guofa", "国发", "gf", ("state-council",), "国务院", "the State Council", ("意见", "Opinions"), 3),
    Family("guobanfa", "国办发", "gbf", ("gosc",), "国务院办公厅", "the General Office of the State Council", ("通知", "Notice"), 2),
    Family("shangzihan", "商资函", "szh", ("mofcom",), "商务部", "the Ministry of Commerce", ("函", "Letter"), 3),
    Family("caiguanshui", "财关税", "cgs", ("mof", "gacc", "sta"), "财政部 海关总署 税务总局", "the Ministry of Finance, the GACC and the STA", ("通知", "Notice"), 2),
    Family("yinfa", "银发", "yf", ("pboc", "safe", "nfra"), "中国人民银行 国家外汇局 金融监管总局", "the PBOC, SAFE and the NFRA", ("通知", "Notice"), 2),
    Family("haiguanzongshugonggao", "海关总署公告", "hgzsgg", ("gacc",), "海关总署", "the GACC", ("公告", "Announcement"), 3),
    Family("huifa", "汇发", "hf", ("safe",), "国家外汇局", "SAFE", ("通知", "Notice"), 1),
    Family("shuizongfa", "税总发", "szf", ("sta",), "国家税务总局", "the STA", ("通知", "Notice"), 1),
]
SUBJECTS = [
    ("做好自由贸易试验区对接国际高标准推进制度型开放试点措施复制推广工作", "replicating the pilot measures aligning the pilot free trade zones with high international standards"),
    ("支持自由贸易试验区深化改革创新若干措施", "measures supporting the pilot free trade zones in deepening reform and innovation"),
    ("做好自由贸易试验区改革试点经验复制推广工作", "replicating the reform pilot experiences of the pilot free trade zones"),
    ("推进自由贸易试验区贸易投资便利化改革创新", "trade and investment facilitation in the pilot free trade zones"),
    ("在自由贸易试验区暂时调整实施有关行政法规", "temporarily adjusting administrative regulations in the pilot free trade zones"),
    ("自由贸易试验区跨境服务贸易特别管理措施", "special measures for cross-border trade in services in the pilot free trade zones"),
    ("印发自由贸易试验区“最佳实践案例”", "the best-practice cases of the pilot free trade zones"),
    ("支持自由贸易试验区金融开放创新", "financial opening and innovation in the pilot free trade zones"),
    ("规范自由贸易试验区数据出境管理", "outbound data management in the pilot free trade zones"),
]
FIRST_DOCUMENT = ("guohan", 2024, 156)  # 国函〔2024〕156号, the default of measures-by-document
FIRST_DOCUMENT_ZONES = ("shanghai", "guangdong", "tianjin", "fujian", "beijing", "hainan")
DISAGREEMENT_EVERY = 50  # one document in so many has two disagreeing dates


# -- Turtle and source text -------------------------------------------------------------------------

def _text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def zh(value: str) -> str:
    return _text(value) + "@zh"


def en(value: str) -> str:
    return _text(value) + "@en"


def date(value: str) -> str:
    return f'"{value}"^^xsd:date'


def date_zh(value: str) -> str:
    """2024-03-05 as a Chinese report prints it: 2024年3月5日."""
    year, month, day = value.split("-")
    return f"{year}年{int(month)}月{int(day)}日"


def cumulative_zipf(n: int, exponent: float = 1.1) -> list[float]:
    """Cumulative power-law weights for ranks 1..n: rank r is drawn ∝ 1/r^exponent."""
    return list(itertools.accumulate(1 / rank**exponent for rank in range(1, n + 1)))


class TurtleFile:
    """One Turtle file being written, with the synthetic source text its evidence cites."""

    def __init__(self, name: str, seed: int):
        self.name = name
        self.source = f"source:syn-{name}"
        self.parts = [PREFIXES, f"# Synthetic data (ftzgraph.synth, seed {seed}): not facts about the real zones.\n\n"]
        self.lines = [f"合成来源（SYNTHETIC SOURCE）{name}：由 ftzgraph.synth 生成（种子 {seed}），不是真实报告。", ""]
        self.triples = 0

    def line(self, text: str) -> int:
        """Add a line to the source text; its 1-based number."""
        self.lines.append(text)
        return len(self.lines)

    def entity(self, subject: str, pairs: list[tuple[str, list[str]]]) -> None:
        body = " ;\n    ".join(f"{p} {' , '.join(objects)}" for p, objects in pairs if objects)
        self.parts.append(f"{subject}\n    {body} .\n")
        self.triples += sum(len(objects) for _p, objects in pairs)

    def source_text(self) -> str:
        return "\n".join(self.lines) + "\n"


@dataclass
class Document:
    iri: str
    number: str  # the 文号 as printed
    year: int
    serial: int  # the number inside the 文号
    abbr: str  # prefix of the IRIs of the measures it lists
    rows: int = 0


class Generator:
    """Writes the files section by section, all randomness from one seeded random.Random."""

    def __init__(self, measures: int, seed: int, out_dir: Path):
        self.measures = measures
        self.seed = seed
        self.out_dir = out_dir
        self.rng = random.Random(seed)
        self.evidence_count = 0
        self.files = self.triples = self.bytes = 0
        self.sources: list[tuple[str, str, str]] = []  # (IRI, file stem, SHA-256) of each source text
        self.counts: dict[str, int] = {}
        self.places: list[list[tuple[str, str]]] = []  # per zone rank: (IRI, zh label) of the zone, then its sub-areas
        self.zone_years: list[int] = []
        self.government_of: dict[str, tuple[str, str]] = {}  # place IRI -> (body IRI, short name)
        self.documents: list[Document] = []
        self.articles: dict[str, list[tuple[str, str]]] = {}  # agreement -> alignable (IRI, zh label)

    def new_file(self, name: str) -> TurtleFile:
        self.files += 1
        return TurtleFile(name, self.seed)

    def evidence(self, out: TurtleFile, s: str, p: str, o: str, line: int, quote: str) -> None:
        """One ftz:Evidence for (s p o), mostly stated in the line, sometimes inferred or curated."""
        self.evidence_count += 1
        head = f"ev:syn-{self.evidence_count:07d} a ftz:Evidence ; rdf:subject {s} ; rdf:predicate {p} ; rdf:object {o} ;\n    "
        roll = self.rng.random()
        if roll < 0.03:
            out.parts.append(head + 'ftz:authority "Synthetic curated fact" ; ftz:basis "curated" .\n')
            out.triples += 6
            return
        cited = f"ftz:source {out.source} ; ftz:lineStart {line} ; ftz:lineEnd {line} ; ftz:quote {_text(quote)} ; "
        if roll < 0.1:
            out.parts.append(head + cited + 'ftz:basis "inferred" ;\n    rdfs:comment "Synthetic: read from the cited row."@en .\n')
            out.triples += 10
        else:
            out.parts.append(head + cited + 'ftz:basis "stated" .\n')
            out.triples += 9

    # -- the fixed world --------------------------------------------------------------------------

    def zones(self) -> None:
        out = self.new_file("zones")
        for zone in ZONES:
            zid, short, short_en, prov_zh, prov_en, _kind, batch, approved, inaugurated, _c, _p, subareas = zone
            iri, label = f"zone:{zid}", f"中国（{short}）自由贸易试验区"
            line = out.line(f"{label}：总体方案于{date_zh(approved)}批复，包括" + "、".join(s[1] for s in subareas) + "。")
            out.entity(iri, [
                ("a", ["ftz:PilotFreeTradeZone"]),
                ("skos:prefLabel", [zh(label), en(f"China ({short_en}) Pilot Free Trade Zone")]),
                ("skos:altLabel", [zh(f"{short}自贸试验区"), en(f"{short_en} FTZ")]),
                ("ftz:province", [zh(prov_zh), en(prov_en)]),
                ("ftz:approvedOn", [date(approved)]),
                ("ftz:inauguratedOn", [date(inaugurated)] if inaugurated else []),
                ("ftz:establishmentBatch", [str(batch)]),
            ])
            self.evidence(out, iri, "ftz:approvedOn", date(approved), line, date_zh(approved))
            self.zone_years.append(int(approved[:4]))
            self.places.append([(iri, label)] + self._subareas(out, zid, iri, subareas, line))
            self._governs(self.places[-1], zid, prov_zh)
        self._free_trade_port(out)
        self.finish(out)
        self.counts["zones"] = len(ZONES) + 1
        self.counts["subareas"] = sum(len(z[-1]) for z in ZONES) + len(FREE_TRADE_PORT[-1])

    def _subareas(self, out: TurtleFile, zid: str, zone: str, subareas, line: int) -> list[tuple[str, str]]:
        places = []
        for sid, label_zh, label_en, function in subareas:
            iri = f"subarea:{zid}-{sid}"
            out.entity(iri, [
                ("a", ["ftz:SubArea"]),
                ("skos:prefLabel", [zh(label_zh), en(label_en)]),
                ("ftz:subAreaOf", [zone]),
                ("ftz:function", [zh(function)]),
            ])
            self.evidence(out, iri, "ftz:subAreaOf", zone, line, label_zh)
            places.append((iri, label_zh))
        return places

    def _free_trade_port(self, out: TurtleFile) -> None:
        zid, label_zh, label_en, alias_zh, alias_en, approved, subareas = FREE_TRADE_PORT
        iri = f"zone:{zid}"
        line = out.line(f"{label_zh}：建设总体方案于{date_zh(approved)}印发，重点园区包括" + "、".join(s[1] for s in subareas) + "。")
        out.entity(iri, [
            ("a", ["ftz:FreeTradePort"]),
            ("skos:prefLabel", [zh(label_zh), en(label_en)]),
            ("skos:altLabel", [zh(alias_zh), en(alias_en)]),
            ("ftz:province", [zh("海南省"), en("Hainan")]),
            ("ftz:approvedOn", [date(approved)]),
        ])
        self.evidence(out, iri, "ftz:approvedOn", date(approved), line, date_zh(approved))
        self.zone_years.insert(FTP_RANK, int(approved[:4]))
        self.places.insert(FTP_RANK, [(iri, label_zh)] + self._subareas(out, zid, iri, subareas, line))
        self._governs(self.places[FTP_RANK], "hainan", "海南省")

    def _governs(self, places: list[tuple[str, str]], zid: str, province_zh: str) -> None:
        """The provincial government leads the innovations of its zone and sub-areas."""
        for place, _label in places:
            self.government_of[place] = (f"body:{zid}-government", f"{province_zh}政府")

    def bodies(self) -> None:
        out = self.new_file("bodies")
        for bid, label_zh, label_en, alias in ISSUING_BODIES + LEADING_BODIES:
            self._body(out, bid, label_zh, label_en, alias)
        for zone in ZONES:
            zid, prov_zh, prov_en, kind = zone[0], zone[3], zone[4], zone[5]
            label_en = {"municipality": f"{prov_en} Municipal People's Government", "province": f"People's Government of {prov_en} Province"}.get(
                kind, f"People's Government of {prov_en}")
            self._body(out, f"{zid}-government", f"{prov_zh}人民政府", label_en, f"{prov_zh}政府")
        self.finish(out)
        self.counts["bodies"] = len(ISSUING_BODIES) + len(LEADING_BODIES) + len(ZONES)

    def _body(self, out: TurtleFile, bid: str, label_zh: str, label_en: str, alias: str) -> None:
        out.entity(f"body:{bid}", [
            ("a", ["ftz:GovernmentBody", "org:Organization"]),
            ("skos:prefLabel", [zh(label_zh), en(label_en)]),
            ("skos:altLabel", [zh(alias)] if alias != label_zh else []),
            ("org:subOrganizationOf", [f"body:{PARENTS[bid]}"] if bid in PARENTS else []),
        ])

    def concepts(self) -> None:
        out = self.new_file("concepts")
        schemes = [("scopes", "推广范围", "Replication scopes"), ("fields", "改革领域", "Policy fields"), ("batches", "复制推广批次", "Replication batches")]
        for cid, label_zh, label_en in schemes:
            out.entity(f"concept:{cid}", [("a", ["skos:ConceptScheme"]), ("skos:prefLabel", [zh(label_zh), en(label_en)])])
        concepts = [(cid, "scopes", z, e) for cid, z, e, _w in SCOPES]
        concepts += [(f"field-{fid}", "fields", z, e) for fid, z, e, _w, _t in FIELDS]
        concepts += [(f"batch-reform-{n}", "batches", f"自由贸易试验区第{NUMERALS[n - 1]}批改革试点经验",
                      f"{ORDINALS[n - 1]} batch of FTZ reform pilot experiences") for n in range(1, REFORM_BATCHES + 1)]
        concepts += [(f"batch-best-practice-{n}", "batches", f"自由贸易试验区第{NUMERALS[n - 1]}批“最佳实践案例”",
                      f"{ORDINALS[n - 1]} batch of FTZ best-practice cases") for n in range(1, BEST_PRACTICE_BATCHES + 1)]
        concepts.append((OPENING_BATCH, "batches", "自贸试验区对接国际高标准推进制度型开放试点措施（复制推广）",
                         "Replicated pilot measures for aligning with high international standards and institutional opening (2024)"))
        for cid, scheme, label_zh, label_en in concepts:
            out.entity(f"concept:{cid}", [("a", ["skos:Concept"]), ("skos:inScheme", [f"concept:{scheme}"]),
                                          ("skos:prefLabel", [zh(label_zh), en(label_en)])])
        self.finish(out)

    def agreements(self) -> None:
        out = self.new_file("agreements")
        provisions = 0
        for aid, label_zh, label_en, acronym, word, chapters in AGREEMENTS:
            out.entity(f"agreement:{aid}", [("a", ["ftz:Agreement"]), ("skos:prefLabel", [zh(label_zh), en(label_en)]),
                                            ("skos:altLabel", [zh(acronym), en(acronym)])])
            alignable = []
            for number, (title_zh, title_en) in enumerate(chapters, start=1):
                chapter = f"provision:{aid}-{'m' if word == 'module' else 'ch'}{number}"
                word_zh = "模块" if word == "module" else "章"
                self._provision(out, chapter, f"agreement:{aid}", str(number), word,
                                f"{acronym}第{number}{word_zh} {title_zh}", f"{acronym} {word.title()} {number} {title_en}")
                articles = self.rng.randint(3, 6)
                for article in range(1, articles + 1):
                    iri, label = f"provision:{aid}-{number}.{article}", f"{acronym}第{number}.{article}条"
                    self._provision(out, iri, chapter, f"{number}.{article}", "article", label, f"{acronym} Article {number}.{article}")
                    if not title_en.startswith(PROCEDURAL):
                        alignable.append((iri, label))
                provisions += 1 + articles
            self.rng.shuffle(alignable)  # which articles draw the most alignments
            self.articles[aid] = alignable
        self.finish(out)
        self.counts["agreements"] = len(AGREEMENTS)
        self.counts["provisions"] = provisions

    def _provision(self, out: TurtleFile, iri: str, parent: str, number: str, kind: str, label_zh: str, label_en: str) -> None:
        out.entity(iri, [("a", ["ftz:Provision"]), ("skos:prefLabel", [zh(label_zh), en(label_en)]), ("ftz:partOf", [parent]),
                         ("ftz:provisionNumber", [_text(number)]), ("ftz:provisionKind", [_text(kind)])])
        self.evidence_count += 1
        out.parts.append(f"ev:syn-{self.evidence_count:07d} a ftz:Evidence ; rdf:subject {iri} ; rdf:predicate ftz:partOf ; "
                         f'rdf:object {parent} ;\n    ftz:authority "Synthetic agreement text" ; ftz:basis "curated" .\n')
        out.triples += 6

    # -- documents --------------------------------------------------------------------------------

    def documents_file(self) -> None:
        out = self.new_file("documents")
        families = NATIONAL_FAMILIES + [
            Family(z[10], z[9], z[10], (f"{z[0]}-government",), f"{z[3]}人民政府", f"the People's Government of {z[4]}", ("通知", "Notice"), 0.5, z[0])
            for z in ZONES]
        family_cum = list(itertools.accumulate(f.weight for f in families))
        years = list(range(2013, 2026))
        year_cum = list(itertools.accumulate(y - 2012 for y in years))  # more documents in later years
        last_number: dict[tuple[str, int], int] = {}
        count = max(3, self.measures // 20)
        for index in range(count):
            if index == 0:
                family, year, number = NATIONAL_FAMILIES[0], FIRST_DOCUMENT[1], FIRST_DOCUMENT[2]
            else:
                family = NATIONAL_FAMILIES[index] if index < len(NATIONAL_FAMILIES) else self.rng.choices(families, cum_weights=family_cum)[0]
                year = self.rng.choices(years, cum_weights=year_cum)[0]
                number = last_number.get((family.code, year), self.rng.randint(0, 40)) + self.rng.randint(1, 30)
            last_number[(family.code, year)] = number
            self._document(out, index, family, year, number)
        self.finish(out)
        self.counts["documents"] = count
        self.counts["disagreements"] = len(range(1, count, DISAGREEMENT_EVERY))

    def _document(self, out: TurtleFile, index: int, family: Family, year: int, number: int) -> None:
        rng = self.rng
        local = f"{family.code}-{year}-{number}"
        iri = f"doc:{local}"
        if family.code == "haiguanzongshugonggao":
            number_zh, number_en = f"海关总署公告{year}年第{number}号", f"GACC Announcement No. {number} of {year}"
        else:
            number_zh, number_en = f"{family.code_zh}〔{year}〕{number}号", f"{family.code.title()} [{year}] No. {number}"
        subject_zh, subject_en = SUBJECTS[0] if index == 0 else rng.choice(SUBJECTS[1:])
        title_zh = f"{family.issuer_zh}关于{subject_zh}的{family.genre[0]}（{number_zh}）"
        title_en = f"{family.genre[1]} of {family.issuer_en} on {subject_en} ({number_en})"
        issued = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 25):02d}"  # room for a later disagreeing date
        places = self._document_places(index, family, year)
        targets = self._document_targets()
        issuer_names = [SHORT_NAMES.get(b, family.issuer_zh) for b in family.issuers]
        line = out.line(f"{number_zh}《{title_zh}》｜发文机关：{'、'.join(issuer_names)}｜印发日期：{date_zh(issued)}"
                        f"｜适用于：{'、'.join(p[1] for p in places) or '—'}｜对接：{'、'.join(t[1] for t in targets) or '—'}")
        dates = [date(issued)]
        if index % DISAGREEMENT_EVERY == 1:
            dates.append(date(f"{issued[:8]}{int(issued[8:]) + rng.randint(1, 3):02d}"))
        out.entity(iri, [
            ("a", ["ftz:PolicyDocument"]),
            ("skos:prefLabel", [zh(title_zh), en(title_en)]),
            ("ftz:documentNumber", [_text(number_zh)]),
            ("ftz:issuedOn", dates),
            ("ftz:issuedBy", [f"body:{b}" for b in family.issuers]),
            ("ftz:appliesTo", [p[0] for p in places]),
            ("ftz:alignsWith", [t[0] for t in targets]),
        ])
        for body, name in zip(family.issuers, issuer_names):
            self.evidence(out, iri, "ftz:issuedBy", f"body:{body}", line, name)
        for place, name in places:
            self.evidence(out, iri, "ftz:appliesTo", place, line, name)
        for target, name in targets:
            self.evidence(out, iri, "ftz:alignsWith", target, line, name)
        if len(dates) > 1:
            self._disagreement(out, iri, local, number_zh, dates, line)
        self.documents.append(Document(iri, number_zh, year, number, family.abbr))

    def _document_places(self, index: int, family: Family, year: int) -> list[tuple[str, str]]:
        if index == 0:
            return [self._places_of(zid)[0] for zid in FIRST_DOCUMENT_ZONES]
        if family.zone:
            zone_places = self._places_of(family.zone)
            return [zone_places[0]] + ([self.rng.choice(zone_places[1:])] if self.rng.random() < 0.3 else [])
        open_zones = [p[0] for p, opened in zip(self.places, self.zone_years) if opened <= year]
        if not open_zones or self.rng.random() < 0.5:
            return []
        picked = self.rng.sample(open_zones, min(len(open_zones), self.rng.randint(1, 3)))
        return sorted(picked, key=open_zones.index)

    def _places_of(self, zid: str) -> list[tuple[str, str]]:
        return next(p for p in self.places if p[0][0] == f"zone:{zid}")

    def _document_targets(self) -> list[tuple[str, str]]:
        if self.rng.random() >= 0.15:
            return []
        aid, _z, _e, acronym, _w, _c = self.rng.choice(AGREEMENTS)
        return [(f"agreement:{aid}", acronym)]

    def _disagreement(self, out: TurtleFile, iri: str, local: str, number_zh: str, dates: list[str], line: int) -> None:
        second_line = out.line(f"{number_zh} 另见：该文件于{date_zh(dates[1][1:11])}印发。")
        claims = []
        for value, cited in zip(dates, (line, second_line)):
            self.evidence_count += 1
            claim = f"ev:syn-{self.evidence_count:07d}"
            out.parts.append(f"{claim} a ftz:Evidence ; rdf:subject {iri} ; rdf:predicate ftz:issuedOn ; rdf:object {value} ;\n    "
                             f"ftz:source {out.source} ; ftz:lineStart {cited} ; ftz:lineEnd {cited} ; "
                             f'ftz:quote {_text(date_zh(value[1:11]))} ; ftz:basis "stated" .\n')
            out.triples += 9
            claims.append(claim)
        out.entity(f"dis:syn-{local}-date", [
            ("a", ["ftz:Disagreement"]),
            ("skos:prefLabel", [zh(f"{number_zh}印发日期不一致"), en(f"Conflicting dates of issue for {local}")]),
            ("ftz:about", [iri]),
            ("ftz:onProperty", ["ftz:issuedOn"]),
            ("ftz:claim", claims),
            ("rdfs:comment", [en("Synthetic: two lines of the source give different dates of issue.")]),
        ])

    # -- measures ---------------------------------------------------------------------------------

    def measures_files(self) -> None:
        kind_cum = list(itertools.accumulate(k.share for k in KINDS))
        field_cum = list(itertools.accumulate(f[3] for f in FIELDS))
        scope_cum = list(itertools.accumulate(s[3] for s in SCOPES))
        body_cum = cumulative_zipf(len(LEADING_BODIES))
        zone_cum = cumulative_zipf(len(self.places))
        listing = self.documents[1:]  # the first document lists exactly its 30 pilot measures
        doc_cum = list(itertools.accumulate(self.rng.lognormvariate(0, 1) for _ in listing))
        agreement_cum = list(itertools.accumulate(ALIGNMENT_SHARE[a[0]] for a in AGREEMENTS))
        article_cums = {aid: cumulative_zipf(len(arts), 1.0) for aid, arts in self.articles.items()}
        draws = _Draws(self.rng, kind_cum, field_cum, scope_cum, body_cum, zone_cum, listing, doc_cum, agreement_cum, article_cums)
        for start in range(0, self.measures, MEASURES_PER_FILE):
            out = self.new_file(f"measures-{start // MEASURES_PER_FILE:03d}")
            for i in range(start, min(start + MEASURES_PER_FILE, self.measures)):
                self._measure(out, i, draws)
            self.finish(out)
        self.counts["measures"] = self.measures

    def _measure(self, out: TurtleFile, i: int, draws: "_Draws") -> None:
        rng = self.rng
        first = i < PILOT_ROWS
        kind = KINDS[0] if first else draws.kind()
        fid, _fz, _fe, _w, topics = draws.field()
        topic_zh, topic_en = rng.choice(topics)
        action_zh, action_en = rng.choice(ACTIONS)
        document = self.documents[0] if first else (draws.document() if rng.random() < kind.listed else None)
        if document:
            document.rows += 1
            iri = f"measure:{document.abbr}{document.year}-{document.serial}-{document.rows:02d}"
        else:
            iri = f"measure:syn-inn-{i:06d}"
        places = draws.places(self.places, rng.randint(1, kind.places)) if rng.random() < kind.piloted else []
        if kind.name == "ZoneInnovation":
            leads = [self.government_of[places[0][0]]] if places and rng.random() < kind.lead else []
        else:
            leads = draws.bodies(rng.randint(1, kind.leads)) if rng.random() < kind.lead else []
        targets = draws.targets(self.articles, rng.randint(1, 2)) if rng.random() < kind.aligned else []
        scope = None if kind.name == "ZoneInnovation" else draws.scope()
        batch = self._batch(kind, first)
        label_zh = f"{topic_zh}{action_zh}（合成第{i:06d}号）"
        line = out.line(f"{document.rows if document else '—'} {label_zh}｜牵头：{'、'.join(name for _b, name in leads) or '—'}"
                        f"｜试点：{'、'.join(p[1] for p in places) or '—'}｜载于：{document.number if document else '—'}"
                        f"｜范围：{scope[1] if scope else '—'}｜对接：{'、'.join(t[1] for t in targets) or '—'}")
        out.entity(iri, [
            ("a", [f"ftz:{kind.name}"]),
            ("skos:prefLabel", [zh(label_zh), en(f"{topic_en} {action_en} (synthetic no. {i:06d})")]),
            ("ftz:rowNumber", [str(document.rows)] if document else []),
            ("ftz:leadBody", [b for b, _name in leads]),
            ("ftz:pilotedIn", [p[0] for p in places]),
            ("ftz:listedIn", [document.iri] if document else []),
            ("ftz:replicationScope", [f"concept:{scope[0]}"] if scope else []),
            ("ftz:policyField", [f"concept:field-{fid}"]),
            ("ftz:replicationBatch", [f"concept:{batch}"] if batch else []),
            ("ftz:year", [f'"{document.year}"^^xsd:gYear'] if document else []),
            ("ftz:alignsWith", [t[0] for t in targets]),
        ])
        for body, name in leads:
            self.evidence(out, iri, "ftz:leadBody", body, line, name)
        for place, name in places:
            self.evidence(out, iri, "ftz:pilotedIn", place, line, name)
        if document:
            self.evidence(out, iri, "ftz:listedIn", document.iri, line, document.number)
        for target, name in targets:
            self.evidence(out, iri, "ftz:alignsWith", target, line, name)

    def _batch(self, kind: Kind, first: bool) -> str | None:
        if first:
            return OPENING_BATCH
        if kind.name == "ReformPilotExperience":
            return f"batch-reform-{self.rng.randint(1, REFORM_BATCHES)}"
        if kind.name == "BestPracticeCase":
            return f"batch-best-practice-{self.rng.randint(1, BEST_PRACTICE_BATCHES)}"
        return None

    # -- writing ----------------------------------------------------------------------------------

    def finish(self, made: TurtleFile) -> None:
        """Write a completed file (and its source text) and let it go: memory stays at one file."""
        self.bytes += _write(self.out_dir / f"{made.name}.ttl", "".join(made.parts))
        self.triples += made.triples
        if len(made.lines) > 2:  # some evidence cites this file's source
            text = made.source_text()
            self.bytes += _write(self.out_dir / "sources" / f"syn-{made.name}.txt", text)
            self.sources.append((made.source, made.name, hashlib.sha256(text.encode("utf-8")).hexdigest()))

    def sources_file(self) -> None:
        out = TurtleFile("sources", self.seed)
        for iri, name, digest in self.sources:
            out.entity(iri, [
                ("a", ["ftz:Source"]),
                ("skos:prefLabel", [zh(f"合成来源 {name}（测试用，非真实报告）"), en(f"Synthetic source {name} (for testing; not a real report)")]),
                ("ftz:sourceFile", [_text(f"syn-{name}.txt")]),
                ("ftz:sha256", [_text(digest)]),
            ])
        self.finish(out)


class _Draws:
    """The weighted random choices of the measure loop, with their cumulative weights precomputed."""

    def __init__(self, rng, kind_cum, field_cum, scope_cum, body_cum, zone_cum, listing, doc_cum, agreement_cum, article_cums):
        self.rng = rng
        self.kind_cum, self.field_cum, self.scope_cum = kind_cum, field_cum, scope_cum
        self.body_cum, self.zone_cum = body_cum, zone_cum
        self.listing, self.doc_cum = listing, doc_cum
        self.agreement_cum, self.article_cums = agreement_cum, article_cums

    def kind(self) -> Kind:
        return self.rng.choices(KINDS, cum_weights=self.kind_cum)[0]

    def field(self):
        return self.rng.choices(FIELDS, cum_weights=self.field_cum)[0]

    def scope(self):
        return self.rng.choices(SCOPES, cum_weights=self.scope_cum)[0]

    def document(self) -> Document:
        return self.rng.choices(self.listing, cum_weights=self.doc_cum)[0]

    def bodies(self, k: int) -> list[tuple[str, str]]:
        ranks = _distinct(self.rng, len(LEADING_BODIES), self.body_cum, k)
        return [(f"body:{LEADING_BODIES[r][0]}", LEADING_BODIES[r][3]) for r in ranks]

    def places(self, places: list[list[tuple[str, str]]], k: int) -> list[tuple[str, str]]:
        """k distinct zones by rank, each the zone itself or one of its sub-areas."""
        picked = []
        for rank in _distinct(self.rng, len(places), self.zone_cum, k):
            options = places[rank]
            picked.append(options[0] if self.rng.random() < 0.4 else self.rng.choice(options[1:]))
        return picked

    def targets(self, articles: dict[str, list[tuple[str, str]]], k: int) -> list[tuple[str, str]]:
        """k distinct rules: mostly articles (a few draw most alignments), sometimes a whole agreement."""
        picked: list[tuple[str, str]] = []
        for _ in range(k):
            aid, _z, _e, acronym, _w, _c = self.rng.choices(AGREEMENTS, cum_weights=self.agreement_cum)[0]
            if self.rng.random() < 0.1:
                target = (f"agreement:{aid}", acronym)
            else:
                target = articles[aid][_distinct(self.rng, len(articles[aid]), self.article_cums[aid], 1)[0]]
            if target not in picked:
                picked.append(target)
        return picked


def _distinct(rng: random.Random, n: int, cum: list[float], k: int) -> list[int]:
    """k distinct indexes below n drawn by the cumulative weights, in draw order."""
    picked: list[int] = []
    k = min(k, n)
    while len(picked) < k:
        index = rng.choices(range(n), cum_weights=cum)[0]
        if index not in picked:
            picked.append(index)
    return picked


def _prepare(out_dir: Path) -> None:
    """An empty folder, or one we wrote before (its old files go); never someone else's files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = list(out_dir.iterdir())
    if entries and not (out_dir / MARKER).is_file():
        raise FileExistsError(f"{out_dir} is not empty and holds no synthetic graph; use an empty folder")
    for path in out_dir.glob("*.ttl"):
        path.unlink()
    (out_dir / "sources").mkdir(exist_ok=True)
    for path in (out_dir / "sources").glob("syn-*.txt"):
        path.unlink()


def _write(path: Path, text: str) -> int:
    data = text.encode("utf-8")
    path.write_bytes(data)
    return len(data)


def generate(measures: int, seed: int, out_dir: Path) -> dict:
    """Write a synthetic graph of `measures` measures into out_dir; the counts of what was written."""
    if measures < 1:
        raise ValueError("measures must be at least 1")
    out_dir = Path(out_dir)
    _prepare(out_dir)
    gen = Generator(measures, seed, out_dir)
    gen.zones()
    gen.bodies()
    gen.concepts()
    gen.agreements()
    gen.documents_file()
    gen.measures_files()
    gen.sources_file()
    (out_dir / MARKER).write_text(
        f"# Synthetic ftzgraph data\n\nGenerated by `ftzgraph.synth.generate(measures={measures}, seed={seed})`.\n"
        "Invented documents and measures in the shape of the real graph, for benchmarks and tests:\n"
        "not facts about China's free trade zones. Regenerate rather than edit.\n",
        encoding="utf-8",
    )
    return {**gen.counts, "evidence": gen.evidence_count, "files": gen.files + 1, "triples": gen.triples, "bytes": gen.bytes}
