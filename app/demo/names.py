"""Word lists for the demo data: one real-looking district (福州市鼓楼区) and the parts names are built from.

Pure data, no logic beyond small lookups.  The 街道 are the district's; the 社区 and addresses are
illustrative (plausible local place names), used consistently: every 社区 belongs to one 街道.
"""

from __future__ import annotations

from typing import NamedTuple

PROVINCE = ("福建省", "350000", "福建省民政厅")
CITY = ("福州市", "350100", "福州市民政局")
DISTRICT = ("福州市鼓楼区", "350102", "福州市鼓楼区民政局")
DISTRICT_SHORT = "鼓楼区"

# 街道/镇 -> (社区, roads for addresses)
STREETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "鼓东街道": (("观风亭社区", "虎节社区", "东大社区", "庆城社区", "贤南社区", "冶山社区"),
                 ("鼓屏路", "东大路", "冶山路", "湖东路", "观风亭街")),
    "鼓西街道": (("西湖社区", "湖滨社区", "乌山社区", "营迹社区", "杨桥社区", "光荣社区"),
                 ("杨桥路", "西湖路", "湖滨路", "乌山路", "文艺路")),
    "温泉街道": (("温泉社区", "汤边社区", "湖东社区", "东浦社区", "华林社区", "龙峰社区"),
                 ("温泉路", "五四路", "湖东路", "东浦路", "华林路")),
    "东街街道": (("东街社区", "达明社区", "津泰社区", "军门社区", "丽文社区", "吉庇社区"),
                 ("东街", "八一七北路", "津泰路", "达明路", "吉庇路")),
    "南街街道": (("南街社区", "杨桥巷社区", "光禄坊社区", "文儒坊社区", "塔巷社区", "宫巷社区"),
                 ("南后街", "杨桥东路", "八一七北路", "光禄坊", "文儒坊")),
    "安泰街道": (("朱紫坊社区", "安泰社区", "新开河社区", "桂枝里社区", "乌石山社区", "黄巷社区"),
                 ("安泰路", "朱紫坊", "乌山西路", "八一七中路", "黄巷")),
    "华大街道": (("北大社区", "屏西社区", "华大社区", "文林社区", "北江社区", "屏东社区"),
                 ("北大路", "屏西路", "华林路", "福飞路", "鼓屏路")),
    "水部街道": (("水部社区", "琼东社区", "古田社区", "斗池社区", "乐群社区", "二环路社区"),
                 ("古田路", "五一北路", "琼东路", "斗池路", "六一北路")),
    "五凤街道": (("五凤社区", "梅峰社区", "树兜社区", "福屿社区", "龙腰社区", "金牛山社区"),
                 ("五四北路", "梅峰路", "树兜路", "北二环西路", "铜盘路")),
    "洪山镇": (("洪山社区", "西洪社区", "凤湖社区", "祥坂社区", "国货社区", "杨桥西社区"),
               ("工业路", "洪山路", "西二环中路", "凤湖路", "杨桥西路")),
}
STREET_NAMES = tuple(STREETS)
BUILDINGS = ("大厦", "广场", "商务中心", "写字楼", "综合楼")


def filing_authority(street: str) -> str:
    """备案 of 社区社会组织 is with the 街道办事处 (or the 镇人民政府)."""
    return f"{street}人民政府" if street.endswith("镇") else f"{street}办事处"


SURNAMES = "陈林黄郑王李张吴刘杨蔡许周何游江卢郭赖魏曾谢余罗邱叶杜徐朱胡高潘施翁"
MALE_GIVEN = "伟强建明志国华杰斌勇军峰涛辉鹏超磊晨宇俊文海平东福荣金清榕闽鑫彬"
FEMALE_GIVEN = "丽芳秀英敏静婷燕玲霞娟琴慧颖雪梅兰萍红洁艳晶欣怡琳莉婕"

# 字号 (trade names): a curated list, plus pairs of the two character lists below.
BRANDS = (
    "阳光", "爱心", "启航", "晨曦", "同心", "和美", "乐龄", "星火", "春晖", "彩虹", "榕树", "闽都", "三坊",
    "冶山", "屏山", "左海", "乌山", "西湖", "温泉", "榕城", "海峡", "金秋", "向阳", "新蕾", "鸿雁", "远航",
    "知行", "善行", "仁和", "德馨", "明德", "弘毅", "致远", "康乐", "颐和", "福寿", "安康", "惠民", "益家",
    "邻里", "暖心", "守望", "朝阳", "青藤", "蒲公英", "向日葵", "萤火虫", "小海豚", "七彩", "鼓山", "闽江",
)
BRAND_FIRST = "春晨阳和乐康安福嘉益善爱同众青知明德仁信志惠睿博悦欣宁泰"
BRAND_SECOND = "晖光美行远航源心翼苗禾帆桥邻家园林泉晴华星悦恒达诚泽润"


class Field(NamedTuple):
    """A line of work: its name part, the forms it takes, 业务主管单位 ("" = 直接登记) and 行业管理部门."""

    name: str
    forms: tuple[str, ...]
    supervisory: str
    industry: str
    branded: bool = False  # takes a 字号 (clubs, service centres) rather than the bare region prefix


_EDU = "福州市鼓楼区教育局"
_HRS = "福州市鼓楼区人力资源和社会保障局"
_HEALTH = "福州市鼓楼区卫生健康局"
_CULTURE = "福州市鼓楼区文化体育和旅游局"
_CIVIL = "福州市鼓楼区民政局"
_COMMERCE = "福州市鼓楼区商务局"
_INDUSTRY = "福州市鼓楼区工业和信息化局"
_SCIENCE = "福州市鼓楼区科学技术协会"

GROUP_FIELDS = (
    Field("餐饮行业", ("协会",), "", _COMMERCE),
    Field("软件行业", ("协会",), "", _INDUSTRY),
    Field("电子商务", ("协会", "促进会"), "", _COMMERCE),
    Field("物业管理", ("协会",), "", "福州市鼓楼区住房和城乡建设局"),
    Field("家政服务", ("协会",), "", _COMMERCE),
    Field("建筑装饰", ("协会",), "", "福州市鼓楼区住房和城乡建设局"),
    Field("文化创意产业", ("协会", "促进会"), "", _CULTURE),
    Field("茶业", ("协会", "商会"), "", _COMMERCE),
    Field("寿山石文化", ("研究会", "协会"), _CULTURE, _CULTURE),
    Field("书法家", ("协会",), "福州市鼓楼区文学艺术界联合会", _CULTURE),
    Field("摄影家", ("协会",), "福州市鼓楼区文学艺术界联合会", _CULTURE),
    Field("美术家", ("协会",), "福州市鼓楼区文学艺术界联合会", _CULTURE),
    Field("老年人体育", ("协会",), _CULTURE, _CULTURE),
    Field("篮球", ("协会",), _CULTURE, _CULTURE),
    Field("围棋", ("协会",), _CULTURE, _CULTURE),
    Field("户外运动", ("协会",), _CULTURE, _CULTURE, branded=True),
    Field("志愿者", ("协会", "联合会"), "", _CIVIL, branded=True),
    Field("慈善", ("总会", "协会"), "", _CIVIL),
    Field("社会工作", ("协会",), "", _CIVIL),
    Field("养老服务", ("协会",), "", _CIVIL),
    Field("家庭教育", ("研究会", "促进会"), _EDU, _EDU),
    Field("科普", ("协会",), _SCIENCE, _SCIENCE),
    Field("老科技工作者", ("协会",), _SCIENCE, _SCIENCE),
    Field("青年企业家", ("商会", "协会"), "", _COMMERCE),
    Field("女企业家", ("商会", "协会"), "", _COMMERCE),
    Field("个体劳动者", ("协会",), "", "福州市鼓楼区市场监督管理局"),
    Field("中医药", ("学会", "协会"), _HEALTH, _HEALTH),
    Field("健康管理", ("协会",), _HEALTH, _HEALTH),
    Field("数字经济", ("促进会", "协会"), "", _INDUSTRY),
    Field("知识产权", ("研究会", "协会"), "", "福州市鼓楼区市场监督管理局"),
    Field("闽剧艺术", ("研究会", "协会"), _CULTURE, _CULTURE, branded=True),
    Field("诗词", ("学会", "协会"), "福州市鼓楼区文学艺术界联合会", _CULTURE, branded=True),
    Field("民俗文化", ("研究会", "促进会"), _CULTURE, _CULTURE, branded=True),
    Field("科技", ("促进会",), _SCIENCE, "福州市鼓楼区科学技术局", branded=True),
)
HOMETOWNS = ("莆田", "泉州", "宁德", "三明", "南平", "龙岩", "漳州", "长乐", "福清", "平潭", "连江", "罗源",
             "闽侯", "永泰", "闽清", "古田", "屏南", "温州", "潮汕", "江西", "湖南", "四川", "安徽", "浙江")

SERVICE_FIELDS = (
    Field("社会工作服务", ("中心",), "", _CIVIL, True),
    Field("居家养老服务", ("中心",), "", _CIVIL, True),
    Field("养老", ("院", "服务中心"), "", _CIVIL, True),
    Field("幼儿", ("园",), _EDU, _EDU, True),
    Field("托育", ("中心", "园"), _HEALTH, _HEALTH, True),
    Field("职业技能培训", ("学校",), _HRS, _HRS, True),
    Field("艺术培训", ("学校", "中心"), _EDU, _EDU, True),
    Field("书画培训", ("中心",), _EDU, _EDU, True),
    Field("篮球", ("俱乐部",), _CULTURE, _CULTURE, True),
    Field("足球", ("俱乐部",), _CULTURE, _CULTURE, True),
    Field("羽毛球", ("俱乐部",), _CULTURE, _CULTURE, True),
    Field("游泳", ("俱乐部",), _CULTURE, _CULTURE, True),
    Field("围棋", ("俱乐部",), _CULTURE, _CULTURE, True),
    Field("康复", ("中心",), _HEALTH, _HEALTH, True),
    Field("心理咨询服务", ("中心",), "", _CIVIL, True),
    Field("青少年服务", ("中心",), "", _CIVIL, True),
    Field("公益服务", ("中心",), "", _CIVIL, True),
    Field("家庭服务", ("中心",), "", _CIVIL, True),
    Field("残疾人托养", ("中心",), "", _CIVIL, True),
    Field("人民调解服务", ("中心",), "福州市鼓楼区司法局", "福州市鼓楼区司法局", True),
    Field("中医", ("门诊部",), _HEALTH, _HEALTH, True),
    Field("口腔", ("门诊部",), _HEALTH, _HEALTH, True),
    Field("民俗", ("博物馆",), _CULTURE, _CULTURE, True),
    Field("文化艺术", ("中心",), _CULTURE, _CULTURE, True),
    Field("科技", ("研究院",), "", "福州市鼓楼区科学技术局", True),
    Field("经济社会发展", ("研究院",), "", "福州市鼓楼区发展和改革局", True),
)
FOUNDATION_CAUSES = ("慈善", "教育", "公益", "助学", "扶老", "关爱", "文化发展", "体育发展", "医疗救助",
                     "青少年发展", "见义勇为")

# 社区社会组织 by 类别 (DEFAULT_COMMUNITY_CATEGORIES)
COMMUNITY_ACTIVITIES: dict[str, tuple[str, ...]] = {
    "生活服务类": ("老年人协会", "助老服务队", "邻里互助会", "家政互助社", "便民服务队", "四点半课堂",
                   "托育互助会", "睦邻服务社", "银龄互助社"),
    "公益慈善类": ("志愿者服务队", "爱心帮扶队", "巾帼志愿服务队", "关爱留守儿童服务队", "慈善互助会",
                   "青年志愿服务队", "环保志愿服务队", "文明劝导队"),
    "文体活动类": ("舞蹈队", "合唱团", "太极拳队", "书画社", "腰鼓队", "门球队", "广场舞队", "读书会",
                   "摄影兴趣小组", "闽剧票友会", "乒乓球队", "健身气功队", "模特队", "诗词社", "象棋协会"),
    "专业调处类": ("邻里纠纷调解队", "平安巡逻队", "物业纠纷调处会", "居民议事会", "楼道议事会",
                   "治安联防队", "和事佬调解队"),
}
COMMUNITY_BRANDS = ("夕阳红", "银龄", "乐龄", "金秋", "暖心", "红榕", "巾帼", "春晖", "向日葵", "小蜜蜂",
                    "红马甲", "老街坊", "和谐", "幸福", "爱心", "同心", "榕荫", "书香", "彩虹", "朝阳")

LEGAL_REP_TITLES = {"SOCIAL_GROUP": "会长", "SOCIAL_SERVICE": "院长", "FOUNDATION": "理事长",
                    "COMMUNITY_FILED": "负责人"}
CONTACT_TITLES = ("秘书长", "办公室主任", "副会长", "主任", "负责人", "党建联络员")

INSPECTION_NOTES = {
    "FAILED": ("未按章程规定换届", "财务管理不规范", "年度工作报告内容不实", "未按规定开展活动"),
    "NOT_INSPECTED": ("逾期未参加年检", "未报送年度工作报告"),
    "BASICALLY_PASSED": ("内部管理制度不健全", "财务票据不规范", "未按时报送重大活动报告"),
}
ABNORMAL_REASONS = ("未按规定参加年度检查", "未按规定报送年度工作报告", "通过登记的住所无法取得联系")
SERIOUS_REASON = "被列入活动异常名录届满2年仍未履行相关义务"
REMOVAL_NOTE = "已履行相关义务，申请移出"
ARCHIVE_REASONS = ("已注销登记", "已迁出本区", "撤销登记")
